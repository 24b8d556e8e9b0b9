import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** Attributes (and object properties, e.g. a menu item's `label`) whose text a user reads or hears. */
const TEXT_ATTRIBUTES = new Set([
  "aria-label",
  "aria-description",
  "aria-placeholder",
  "aria-roledescription",
  "aria-valuetext",
  "title",
  "placeholder",
  "alt",
  "label",
]);

/**
 * Text that is the same in every language: the brand, file format names. Anything else with a
 * letter in it belongs in the catalogues (src/web/i18n).
 */
const ALLOWED = new Set(["Glasschat", "PNG", "CSV"]);

const hasLetter = (text: string) => /\p{L}/u.test(text);

export interface Literal {
  file: string;
  line: number;
  text: string;
}

/**
 * The user-visible literals of one TSX source: JSX text with letters, and string literals in a
 * text attribute, in a `{…}` child, or as a text property (`label: "Reply"`). Strings passed to a
 * call (`t("chats.newChat")`, `useState("")`) are arguments, not text, and are skipped.
 */
export function findLiterals(file: string, source: string): Literal[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Literal[] = [];
  const report = (node: ts.Node, raw: string) => {
    const text = raw.replace(/\s+/g, " ").trim();
    if (!hasLetter(text) || ALLOWED.has(text)) return;
    found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text });
  };
  /** String literals of an expression that would be shown as they are (not call arguments). */
  const shownStrings = (node: ts.Node) => {
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) report(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      report(node, [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" "));
      for (const span of node.templateSpans) shownStrings(span.expression);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind !== ts.SyntaxKind.PlusToken) {
      // Comparisons (`theme === "dark"`) are not text; `??` and `||` fallbacks are.
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
        shownStrings(node.left);
        shownStrings(node.right);
      }
    } else if (ts.isConditionalExpression(node)) {
      shownStrings(node.whenTrue);
      shownStrings(node.whenFalse);
    } else if (ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node)) {
      // visited by the walk below
    } else ts.forEachChild(node, shownStrings);
  };
  const nameOf = (name: ts.Node) =>
    ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText(sf);
  const visit = (node: ts.Node) => {
    // The translator's own arguments are a key and its parameters.
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "t") return;
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxAttribute(node) && TEXT_ATTRIBUTES.has(nameOf(node.name))) {
      if (node.initializer) shownStrings(node.initializer);
    } else if (
      ts.isJsxExpression(node) &&
      node.parent &&
      !ts.isJsxAttribute(node.parent) &&
      node.expression
    ) {
      shownStrings(node.expression);
    } else if (ts.isPropertyAssignment(node) && TEXT_ATTRIBUTES.has(nameOf(node.name))) {
      shownStrings(node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Every .tsx file under `dir`. */
export function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".tsx"))
    .map((e) => join(e.parentPath, e.name));
}

export function literalsIn(dir: string): Literal[] {
  return tsxFiles(dir).flatMap((path) =>
    findLiterals(relative(process.cwd(), path), readFileSync(path, "utf8")),
  );
}
