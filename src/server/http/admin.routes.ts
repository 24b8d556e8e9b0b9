import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { type DoctorReport, doctorReportSchema } from "../../protocol/doctor.js";
import type { CheckResult } from "../admin/doctor/check.js";
import { collectChecks, type RunningState } from "../admin/doctor/collect.js";
import type { Config } from "../config.js";
import type { AccountsService } from "../domain/accounts.service.js";
import { AppError } from "../domain/errors.js";
import { errorResponses } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

/**
 * Routes for the server's administrators, the accounts named in ADMIN_EMAILS. To anyone else
 * signed in they answer as an unknown route does (404), so they do not tell that they exist.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  deps: { accounts: AccountsService; config: Config; running: RunningState },
): void {
  const admins = new Set(deps.config.adminEmails);
  const requireAdmin = async (request: Parameters<ReturnType<typeof authenticate>>[0]) => {
    await authenticate(deps.accounts)(request);
    if (!admins.has(sessionOf(request).user.email.toLowerCase())) {
      throw new AppError("not_found", "No such route.");
    }
  };

  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/admin/doctor",
    {
      schema: {
        summary: "The checks of `npm run admin -- doctor`, run by this server (admins only)",
        tags: ["admin"],
        security: [{ session: [] }],
        response: { 200: doctorReportSchema, ...errorResponses("unauthorized", "not_found") },
      },
      preValidation: requireAdmin,
    },
    async (): Promise<DoctorReport> => {
      const checks = [
        { name: "config", status: "ok", detail: "valid (the server started with it)" } satisfies CheckResult,
        ...(await collectChecks(deps.config, deps.running)),
      ];
      return {
        status: checks.some((c) => c.status === "failed")
          ? "failed"
          : checks.some((c) => c.status === "warning")
            ? "warning"
            : "ok",
        checks: checks.map((c) => ({
          name: c.name,
          status: c.status,
          message: c.detail,
          hint: c.fix ?? null,
        })),
      };
    },
  );
}
