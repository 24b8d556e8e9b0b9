import { z } from "zod";

/** One check of `GET /api/admin/doctor`, the same as a line of `npm run admin -- doctor`. */
export const doctorCheckSchema = z
  .object({
    name: z.string().describe("config, database, migrations, redis, smtp, push, disk, write or proxy"),
    status: z.enum(["ok", "warning", "failed"]),
    message: z.string().describe("What was found; URLs are shown without their passwords."),
    hint: z.string().nullable().describe("What to do about a warning or a failure."),
  })
  .meta({ id: "DoctorCheck" });

export const doctorReportSchema = z
  .object({
    status: z.enum(["ok", "warning", "failed"]).describe("The worst status of all checks."),
    checks: z.array(doctorCheckSchema),
  })
  .meta({ id: "DoctorReport" });

export type DoctorCheck = z.infer<typeof doctorCheckSchema>;
export type DoctorReport = z.infer<typeof doctorReportSchema>;
