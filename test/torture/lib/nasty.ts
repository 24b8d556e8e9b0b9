import type { Context } from "./context.js";

/** Values a careless parser trips over: wrong types, huge, deep, ill-formed text, prototype keys. */
export function nastyValue(ctx: Context, depth = 0): unknown {
  const kind = ctx.int(depth > 2 ? 14 : 20);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return ctx.pick([true, false, 0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
    case 2:
      return ctx.pick(["", " ", "\u0000", "\t\n", "\u200b\u200b", "\ufeff"]);
    case 3:
      return ctx.pick(["\ud800", "\udfff", "a\ud800b", "\udc00\ud800", "x\ud83d"]);
    case 4:
      return "x".repeat(ctx.pick([4001, 10_000, 65_000]));
    case 5:
      return ctx.pick(["<script>alert(1)</script>", "%00", "../../etc/passwd", "$" + "{7*7}", "' OR 1=1 --"]);
    case 6:
      return String.fromCodePoint(
        ...Array.from({ length: 1 + ctx.int(40) }, () => ctx.int(0x10ffff)).filter(
          (c) => c < 0xd800 || c > 0xdfff,
        ),
      );
    case 7:
      return ctx.pick(["c", "c0000000000000000", "c".repeat(5000), "-1", "1e9", "NaN", "__proto__"]);
    case 8:
      return deep(ctx.pick([50, 300, 1000]));
    case 9:
      return JSON.parse('{"__proto__":{"polluted":true,"isAdmin":true}}');
    case 10:
      return JSON.parse('{"constructor":{"prototype":{"polluted":true}}}');
    case 11:
      return { toString: 1, valueOf: "x", hasOwnProperty: null, ["th" + "en"]: "x" };
    case 12:
      return [];
    case 13:
      return {};
    default:
      return ctx.int(2)
        ? Array.from({ length: ctx.int(5) }, () => nastyValue(ctx, depth + 1))
        : Object.fromEntries(
            Array.from({ length: 1 + ctx.int(4) }, () => [
              ctx.pick([
                "chatId",
                "body",
                "clientId",
                "email",
                "password",
                "username",
                "seq",
                "forEveryone",
                "__proto__",
                "x",
              ]),
              nastyValue(ctx, depth + 1),
            ]),
          );
  }
}

function deep(levels: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** A payload for a known shape with one or more fields replaced by nasty values. */
export function mutate(ctx: Context, valid: Record<string, unknown>): unknown {
  if (ctx.int(10) === 0) return nastyValue(ctx);
  const out: Record<string, unknown> = JSON.parse(JSON.stringify(valid));
  const keys = Object.keys(out);
  for (let i = 0; i <= ctx.int(2); i++) {
    const key = ctx.int(6) === 0 ? ctx.pick(["__proto__", "constructor", "extra"]) : ctx.pick(keys);
    if (key === "__proto__")
      Object.defineProperty(out, key, {
        value: nastyValue(ctx, 1),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    else out[key] = nastyValue(ctx, 1);
  }
  return out;
}

/** Bytes that are not UTF-8 at all, inside an otherwise plausible JSON text. */
export function invalidUtf8Json(ctx: Context, field: string): Buffer {
  const bad = ctx.pick([
    [0xff],
    [0xc0, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xe2, 0x82],
  ]);
  return Buffer.concat([Buffer.from(`{"${field}":"a`), Buffer.from(bad), Buffer.from('b"}')]);
}

/** JSON nested far deeper than any parser's recursion should be allowed to go. */
export function deepJsonText(levels: number): string {
  return `${'{"a":['.repeat(levels)}1${"]}".repeat(levels)}`;
}
