/**
 * Filling a sentence template for one article: person names stay consistent within the article,
 * local places become the paper's own towns and villages, numbers are drawn afresh (years near
 * the edition's year, plausible months, days and times).
 */
import type { PaperProfile } from "./papers.js";
import type { Rng } from "./prng.js";
import { SURNAMES, type SentenceTemplate, type Slot } from "./sentence-pool.js";

const GIVEN = Array.from(
  "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌辉鹏飞宇浩然佳怡欣悦晨曦雨婷琳瑶俊峰志雄海燕红梅春兰立新永康德明子涵思远振宇嘉怡晓东",
);

/** A filled sentence and where its slot values landed. */
export interface Filled {
  text: string;
  values: { slot: Slot; value: string; start: number }[];
}

export interface FillContext {
  rng: Rng;
  profile: PaperProfile;
  year: number;
  /** Original name -> replacement, so a person keeps one name within an article. */
  cast: Map<string, string>;
}

/** Fills a template's slots with this article's names, places and fresh numbers; never throws. */
export function fill(template: SentenceTemplate, ctx: FillContext): Filled {
  let text = template.literals[0] ?? "";
  const values: Filled["values"] = [];
  for (const [i, slot] of template.slots.entries()) {
    const value = slotValue(slot, ctx);
    values.push({ slot, value, start: text.length });
    text += value + (template.literals[i + 1] ?? "");
  }
  return { text, values };
}

function slotValue(slot: Slot, ctx: FillContext): string {
  const { rng, profile } = ctx;
  switch (slot.kind) {
    case "person": {
      let name = ctx.cast.get(slot.original);
      if (name === undefined) {
        name = personName(rng);
        ctx.cast.set(slot.original, name);
      }
      return name;
    }
    case "place": {
      const key = `@${slot.original}`;
      let place = ctx.cast.get(key);
      if (place === undefined) {
        place =
          slot.level === "county"
            ? /[市县区]$/u.test(slot.original)
              ? profile.county
              : profile.countyShort
            : rng.pick(slot.level === "town" ? profile.towns : profile.villages);
        ctx.cast.set(key, place);
      }
      return place;
    }
    case "number": {
      if (slot.unit === "year") return String(ctx.year - rng.int(0, 2));
      if (slot.unit === "month") return String(rng.int(1, 12));
      if (slot.unit === "day") return String(rng.int(1, 28));
      if (slot.unit === "hour") return String(rng.int(1, 23));
      if (slot.unit === "minute") return String(rng.int(10, 59));
      const int =
        slot.digits <= 1 ? rng.int(1, 9) : rng.int(10 ** (slot.digits - 1), 10 ** slot.digits - 1);
      if (slot.decimals === 0) return String(int);
      let frac = "";
      for (let k = 0; k < slot.decimals; k++)
        frac += String(rng.int(k === slot.decimals - 1 ? 1 : 0, 9));
      return `${int}.${frac}`;
    }
  }
}

/** A random Chinese name (surname and one or two given characters); never throws. */
export function personName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.7) ? rng.pick(GIVEN) : "");
}
