/**
 * Credit lines ("■记者 潘琳娟", "■记 者 荣怡婷", "通讯员 曹金凤 陶佳迪", "■全媒体记者 唐芳园/文",
 * "李 婧/摄", "■本报评论员", "■言成声") and the names they carry.
 */

/** Role words of credit lines, longest first so that "全媒体记者" wins over "记者". */
const ROLES = [
  "全媒体记者",
  "融媒体记者",
  "本报评论员",
  "特约通讯员",
  "本报记者",
  "见习记者",
  "特约记者",
  "首席记者",
  "评论员",
  "通讯员",
  "实习生",
  "记者",
  "摄影",
  "摄像",
  "编辑",
  "制图",
  "整理",
] as const;

/** Roles whose line marks an opinion piece. */
const COMMENTARY_ROLES = new Set(["本报评论员", "评论员"]);

/** A role word, allowing the spaces some layouts put between its characters ("记 者"). */
const ROLE_PATTERN = new RegExp(
  `(?:${ROLES.map((r) => Array.from(r).join("\\s*")).join("|")})`,
  "gu",
);

/** A person's name token, optionally with the "/文" (text) or "/摄" (photo) marker. */
const NAME_TOKEN = /^[\p{Script=Han}·]{1,5}(?:\/(?:文|摄|图|摄影|文图|图文))?$/u;

/** The bullet that starts a credit line. */
const BULLET = "■";

/** One parsed credit line. */
export interface CreditLine {
  /** The line as printed (trimmed). */
  raw: string;
  /** Role words found on the line, spaces removed. */
  roles: string[];
  /** Person names, with split two-character names ("周 奕") joined. */
  names: string[];
  /** True when the line is a photo credit ("■摄影 …"). */
  photo: boolean;
  /** True for "■本报评论员" or a bare pen name such as "■言成声". */
  commentary: boolean;
}

/**
 * Parses a credit line: one starting with "■", or one starting with a role word, where everything
 * else is names. `continuation` also accepts a names-only line, as printed under a "■" line.
 * Returns undefined for anything else (body text, headlines); never throws.
 */
export function parseCreditLine(line: string, continuation = false): CreditLine | undefined {
  const raw = line.trim();
  if (raw.length === 0 || raw.length > 60 || /[。，,！？；：:!?;“”"]/u.test(raw)) return undefined;
  const bulleted = raw.startsWith(BULLET);
  const body = (bulleted ? raw.slice(BULLET.length) : raw).trim();
  if (body.length === 0) return undefined;

  const roles: string[] = [];
  const spaced = body.replace(ROLE_PATTERN, (role) => {
    roles.push(role.replace(/\s+/gu, ""));
    return " \u0000 ";
  });
  const tokens = spaced.split(/\s+/u).filter((t) => t.length > 0);
  const nameTokens = tokens.filter((t) => t !== "\u0000");
  if (!nameTokens.every((t) => NAME_TOKEN.test(t))) return undefined;

  const startsWithRole = tokens[0] === "\u0000";
  const penName =
    bulleted && roles.length === 0 && nameTokens.length === 1 && (nameTokens[0]?.length ?? 0) >= 2;
  if (!bulleted && !startsWithRole && !continuation) return undefined;
  if (!bulleted && roles.length === 0 && !continuation) return undefined;
  if (bulleted && roles.length === 0 && !penName) return undefined;
  if (!bulleted && nameTokens.length === 0) return undefined;
  // A names-only continuation needs two names or a "/文" "/摄" marker: one bare word under a
  // credit line is more likely a short headline ("破浪前行") than a name.
  if (
    !bulleted &&
    roles.length === 0 &&
    nameTokens.length < 2 &&
    !nameTokens.some((t) => t.includes("/"))
  ) {
    return undefined;
  }

  const names = joinSplitNames(nameTokens.map((t) => t.replace(/\/.*$/u, "")));
  const photo = roles[0] === "摄影" || roles[0] === "摄像";
  const commentary = penName || roles.some((r) => COMMENTARY_ROLES.has(r));
  if (names.length === 0 && commentary)
    names.push(roles.find((r) => COMMENTARY_ROLES.has(r)) ?? "");
  return { raw, roles, names: names.filter((n) => n.length > 0), photo, commentary };
}

/**
 * Splits "标题■记者 荣怡婷" (a headline with its byline glued on) into the headline and the credit.
 * Returns undefined when the line holds no such glued credit. Never throws.
 */
export function splitGluedCredit(line: string): [string, string] | undefined {
  const t = line.trim();
  const at = t.indexOf(BULLET, 1);
  if (at <= 0) return undefined;
  const head = t.slice(0, at).trim();
  const credit = t.slice(at).trim();
  if (head.length === 0 || !parseCreditLine(credit)) return undefined;
  return [head, credit];
}

/**
 * Layouts justify two-character names with a space ("周 奕", "王 强"): join runs of
 * single-character tokens back in pairs, since a single character is never a full name.
 */
function joinSplitNames(tokens: readonly string[]): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] ?? "";
    const next = tokens[i + 1];
    if (Array.from(token).length === 1 && next !== undefined && Array.from(next).length === 1) {
      names.push(token + next);
      i += 2;
    } else {
      names.push(token);
      i += 1;
    }
  }
  return names;
}

/** A credit in brackets, as wire stories and CMS exports print it: "(记者刘紫凌、冯国栋)", "（记者：徐啸寒）". */
const BRACKETED = /[（(]([^（()）]{2,40})[)）]/gu;
/** Characters read at each end of a story for its credit: the dateline's and the closing one. */
const CREDIT_REACH = 160;

/**
 * The credits a story's own text prints in brackets near its start ("新华网宜昌11月9日电(记者刘紫凌、
 * 冯国栋)") or at its end ("(记者:徐啸寒)"), where an export carries no byline field. Only a
 * bracket that starts with a role word counts: "(图)" or "(北纬23.0度)" credit nobody.
 */
export function creditsInText(paragraphs: readonly string[]): CreditLine[] {
  const text = paragraphs.join("\n");
  const ends =
    text.length <= 2 * CREDIT_REACH
      ? [text]
      : [text.slice(0, CREDIT_REACH), text.slice(-CREDIT_REACH)];
  const out: CreditLine[] = [];
  for (const end of ends) {
    for (const m of end.matchAll(BRACKETED)) {
      const inside = (m[1] ?? "")
        .replace(/[:：、,，]/gu, " ")
        .replace(/报道$/u, "")
        .trim();
      const line = parseCreditLine(inside);
      if (line && line.roles.length > 0 && line.names.length > 0 && !line.commentary) {
        if (!out.some((c) => c.raw === line.raw)) out.push(line);
      }
    }
  }
  return out;
}
