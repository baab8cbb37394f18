import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as prettier from "prettier";
import { commonArgs, fail, parseCli } from "../src/cli/args.js";
import { createConfiguredEmbedder } from "../src/app.js";
import { ROOT_DIR } from "../src/config.js";
import { createEngine, retrieve, type Engine } from "../src/engine.js";
import { runIndexJob } from "../src/indexer.js";
import { analyzeQuery, type AnswerType } from "../src/retrieval/query.js";
import { decomposeQuestion } from "../src/retrieval/decompose.js";
import { buildCandidates, questionFacts, SENTENCE_FEATURES } from "../src/answer/candidates.js";
import type { Candidate, QuestionFacts } from "../src/answer/candidates.js";
import {
  ANSWER_MODEL,
  DECLINE_FEATURES,
  answerProbability,
  declineFeatures,
  scoreSentence,
  type AnswerModel,
} from "../src/answer/answer-model.js";
import {
  declineEvidence,
  FOCUS_MARGIN,
  JOIN_PROBABILITY,
  likelyRunnersUp,
  maxSentencesFor,
  shownSentences,
} from "../src/answer/extractive.js";
import { evalIndexDir } from "../src/eval/corpus-index.js";
import { readQuestionsFile } from "../src/eval/questions.js";
import { isCorrect, isRelevant, type EvalQuestion } from "../src/eval/metrics.js";
import { fitLogistic, fitRanking, type BinaryExample } from "../src/fit/linear-models.js";
import {
  SECOND_STAGE,
  SECOND_STAGE_FEATURES,
  scoreSecondStage,
  type SecondStageWeights,
} from "../src/retrieval/second-stage.js";
import type { Passage } from "../src/types.js";

const USAGE = `Usage: npm run fit -- [--dry-run] [--max-per-set N]

Fits the answer path's weights on data and writes src/retrieval/fitted-second-stage.ts and
src/answer/fitted-weights.ts:
  0. the second stage's weights: which fused candidate passage holds the evidence;
  1. the sentence weights: which retrieved sentence answers the question (a ranking over the
     sentences of the top five passages, positive where the sentence holds the answer keywords);
  2. the decline model: whether the best sentence answers, against unanswerable questions,
     near misses (the answering sentences of answerable ones removed) and absent stories (the
     answering article removed);
  3. the decline threshold: the best weighted accuracy that declines at most 5 % of the
     answerable questions it sees.
The passages the sentences come from are retrieved with the current second-stage weights: fit
twice after changing the features.
Fitted on ../shared: dev2 and DRCD dev (half of each, by a hash of the id) and the CMRC 2018 trial
set. The other halves are held out; the report compares the current model with the fitted one on
both halves. dev.jsonl and CMRC 2018 dev are not used: check them with npm run eval.
--max-per-set takes at most N questions of each set (default 1500, a stable sample).
--dry-run reports without writing.`;

const { values } = parseCli(USAGE, {
  "dry-run": { type: "boolean" },
  "max-per-set": { type: "string" },
});

interface FitSet {
  name: string;
  questions: string;
  editions: string[];
  articles: string[];
  /** "half": split by a hash of the id; "train": all questions are fitted on. */
  split: "half" | "train";
}

interface Sample {
  set: string;
  held: boolean;
  question: EvalQuestion;
  engine: Engine;
  facts: QuestionFacts;
  candidates: Candidate[];
  positive: boolean[];
  passages: Passage[];
  /** The candidates left when every one holding an answer keyword is removed: a near miss. */
  nearMiss: Candidate[];
  /**
   * The candidates and passages left when the story that answers is not in the archive (its
   * article's passages removed): what a question about an absent story finds.
   */
  absent: { candidates: Candidate[]; passages: Passage[] } | undefined;
  /** The candidates that state no answer of the asked type. */
  untyped: Candidate[];
  /** The second stage's candidates: features, and whether the passage holds the evidence. */
  pool: { features: number[]; relevant: boolean }[];
  /** Sentences an answer to the question holds at most (extractive.ts). */
  maxSentences: number;
  /** What the question asks for: a why question's answer shows a cause (extractive.ts). */
  answerType: AnswerType;
}

const shared = path.resolve(process.env.SHARED_DIR ?? path.join(ROOT_DIR, "..", "shared"));
const SETS: FitSet[] = [
  {
    name: "dev2",
    questions: path.join(shared, "eval", "dev2.jsonl"),
    editions: [path.join(ROOT_DIR, "data", "editions")],
    articles: [path.join(shared, "bench", "news-distractors", "articles.jsonl")],
    split: "half",
  },
  {
    name: "cmrc-trial",
    questions: path.join(shared, "bench", "cmrc2018-trial", "questions.jsonl"),
    editions: [],
    articles: [path.join(shared, "bench", "cmrc2018-trial", "articles.jsonl")],
    split: "train",
  },
  {
    name: "drcd-dev",
    questions: path.join(shared, "bench", "drcd-dev", "questions.jsonl"),
    editions: [],
    articles: [path.join(shared, "bench", "drcd-dev", "articles.jsonl")],
    split: "half",
  },
];

/** A stable number of an id, the same on every run and machine. */
function hashOf(id: string): number {
  return crypto.createHash("sha1").update(id).digest().readUInt32BE(0);
}

/** Held out when the id's hash is odd. */
function heldOut(id: string): boolean {
  return hashOf(id) % 2 === 1;
}

function keywords(q: EvalQuestion): string[] {
  return [...q.answer_keywords, ...(q.answer_any ?? [])].filter((k) => k.trim() !== "");
}

async function collect(set: FitSet): Promise<Sample[]> {
  for (const file of [set.questions, ...set.articles, ...set.editions]) {
    if (!fs.existsSync(file))
      throw new Error(`${file} not found: clone the project beside ../shared or set SHARED_DIR`);
  }
  const args = commonArgs({});
  const embedder = await createConfiguredEmbedder(args.config.embeddingModel, args.config.dataDir);
  const indexDir = evalIndexDir(ROOT_DIR, set.editions, set.articles, embedder.id);
  await runIndexJob({ editionDirs: set.editions, articleFiles: set.articles, indexDir, embedder });
  const engine = await createEngine({ indexDir, embedder });
  const questions = readQuestionsFile(set.questions);
  const today = new Date();
  const samples: Sample[] = [];
  // A large set is sampled (stably, by a hash of the id) so that a fit takes minutes, not tens.
  const limit = Number(values["max-per-set"] ?? 1500);
  const picked = [...questions]
    .sort((a, b) => hashOf(a.id) - hashOf(b.id))
    .slice(0, limit)
    .sort((a, b) => questions.indexOf(a) - questions.indexOf(b));
  for (const q of picked) {
    if (analyzeQuery(q.question).kind === "coverage" || decomposeQuestion(q.question).length > 1) {
      continue;
    }
    let pool: Sample["pool"] = [];
    const found = await retrieve(engine.index, engine.embedder, q.question, {
      limit: 10,
      today,
      onSecondStage: (scored) => {
        pool = scored.map((c) => ({
          features: c.features,
          relevant: q.answerable && isRelevant(q, c.chunk.text),
        }));
      },
    });
    const facts = questionFacts(found.query, found.groups, found.phrases);
    if (found.groups.length === 0) continue;
    const candidates = buildCandidates(
      engine.index,
      found.query,
      facts,
      found.passages.slice(0, 5),
    );
    // The answer is the best sentence that states the asked slot (extractive.ts), so the model
    // ranks those only; the others are kept for the decline model's typedGap.
    const untyped = candidates.filter((c) => !c.typed);
    candidates.splice(0, candidates.length, ...candidates.filter((c) => c.typed));
    if (candidates.length === 0) continue;
    const positive = candidates.map((c) => q.answerable && isCorrect(q, c.sentence));
    const words = keywords(q).map((k) => k.replace(/\s+/gu, ""));
    const nearMiss = q.answerable
      ? candidates.filter((c) => !words.some((k) => c.sentence.replace(/\s+/gu, "").includes(k)))
      : [];
    const gold = new Set(
      found.passages.filter((p) => isRelevant(q, p.chunk.text)).map((p) => p.chunk.articleId),
    );
    let absent: Sample["absent"];
    if (q.answerable && gold.size > 0) {
      const passages = found.passages.filter((p) => !gold.has(p.chunk.articleId));
      const left = buildCandidates(engine.index, found.query, facts, passages.slice(0, 5)).filter(
        (c) => c.typed,
      );
      if (left.length > 0) absent = { candidates: left, passages };
    }
    samples.push({
      maxSentences: maxSentencesFor(found.query),
      answerType: found.query.answerType,
      untyped,
      pool,
      absent,
      set: set.name,
      held: set.split === "half" && heldOut(q.id),
      question: q,
      engine,
      facts,
      candidates,
      positive,
      passages: found.passages,
      nearMiss,
    });
  }
  process.stderr.write(`${set.name}: ${samples.length} questions\n`);
  return samples;
}

/** Ranks a sample's candidates under a model, best first. */
function ranked(candidates: readonly Candidate[], model: AnswerModel): Candidate[] {
  const out = candidates.map((c) => ({ ...c, score: scoreSentence(c.features, model) }));
  return out.sort((a, b) => b.score - a.score);
}

/**
 * The decline model's input for the best of `candidates` under `model`, or undefined when the
 * composer declines before the model is asked (a missing name, another story).
 */
function declineInput(
  s: Sample,
  candidates: readonly Candidate[],
  model: AnswerModel,
  passages: readonly Passage[] = s.passages,
): number[] | undefined {
  const list = ranked(candidates, model);
  const top = ranked([...candidates, ...s.untyped], model)[0];
  const evidence = declineEvidence(
    s.engine.index,
    { facts: s.facts, candidates: list },
    passages,
    top,
  );
  if (evidence.missingEntity || evidence.offFocus >= FOCUS_MARGIN) return undefined;
  return declineFeatures(evidence);
}

interface DeclineCase {
  x: number[];
  /** 1: the best sentence answers; 0: it does not (wrong sentence, unanswerable, near miss). */
  y: 0 | 1;
  kind: "answers" | "wrong" | "unanswerable" | "near-miss" | "absent";
  setWeight: number;
}

function declineCases(
  samples: readonly Sample[],
  model: AnswerModel,
  setWeight: (s: Sample) => number = () => 1,
): DeclineCase[] {
  const out: DeclineCase[] = [];
  for (const s of samples) {
    const w = setWeight(s);
    const list = ranked(s.candidates, model);
    const best = list[0];
    if (!best) continue;
    // What the answer shows: the best sentence and the ones that join it.
    const shown = shownSentences(list, s.maxSentences, s.answerType).map((c) => c.sentence);
    const x = declineInput(s, s.candidates, model);
    if (x) {
      if (!s.question.answerable) out.push({ x, y: 0, kind: "unanswerable", setWeight: w });
      else if (isCorrect(s.question, shown.join(""))) {
        out.push({ x, y: 1, kind: "answers", setWeight: w });
      } else out.push({ x, y: 0, kind: "wrong", setWeight: w });
    }
    if (s.question.answerable && s.nearMiss.length > 0 && s.nearMiss.length < s.candidates.length) {
      const near = declineInput(s, s.nearMiss, model);
      if (near) out.push({ x: near, y: 0, kind: "near-miss", setWeight: w });
    }
    if (s.absent) {
      const away = declineInput(s, s.absent.candidates, model, s.absent.passages);
      if (away) out.push({ x: away, y: 0, kind: "absent", setWeight: w });
    }
  }
  return out;
}

/** Weight of each kind of case in the decline loss and in the threshold's accuracy. */
function caseWeights(cases: readonly DeclineCase[]): Record<DeclineCase["kind"], number> {
  const count = (k: DeclineCase["kind"]) => cases.filter((c) => c.kind === k).length || 1;
  // Near misses and absent stories are many and synthetic: each kind together weighs as a
  // quarter of the answered ones, about the share of unanswerable questions people ask.
  return {
    answers: 1,
    wrong: 0.3,
    unanswerable: 1,
    "near-miss": (0.25 * count("answers")) / count("near-miss"),
    absent: (0.25 * count("answers")) / count("absent"),
  };
}

/** The share of answerable questions the threshold may decline, on the fitting data. */
const MAX_DECLINED_ANSWERABLE = 0.05;

function chooseThreshold(cases: readonly DeclineCase[], decline: AnswerModel["decline"]): number {
  const weights = caseWeights(cases);
  const probs = cases.map((c) => answerProbability(c.x, { ...ANSWER_MODEL, decline }));
  const answerable = cases.filter((c) => c.kind === "answers" || c.kind === "wrong").length || 1;
  let best = { t: 0.5, score: -Infinity };
  for (let t = 0.02; t < 0.98; t += 0.01) {
    let score = 0;
    let declinedAnswerable = 0;
    cases.forEach((c, i) => {
      const answers = (probs[i] ?? 0) >= t;
      if ((c.kind === "answers" || c.kind === "wrong") && !answers) declinedAnswerable++;
      if ((c.y === 1) === answers) score += weights[c.kind] * c.setWeight;
    });
    // The decline model may decline at most this share of the answerable questions it sees:
    // the share of answerable questions the engine may decline in all.
    if (declinedAnswerable / answerable > MAX_DECLINED_ANSWERABLE) continue;
    if (score > best.score) best = { t, score };
  }
  return Number(best.t.toFixed(2));
}

/** Share of questions whose best second-stage candidate holds the evidence (of those where one does). */
function passageTop1(samples: readonly Sample[], weights: SecondStageWeights): number {
  const withEvidence = samples.filter((s) => s.pool.some((p) => p.relevant));
  const top = withEvidence.filter((s) => {
    let best: { score: number; relevant: boolean } | undefined;
    for (const p of s.pool) {
      const score = scoreSecondStage(p.features, weights);
      if (!best || score > best.score) best = { score, relevant: p.relevant };
    }
    return best?.relevant === true;
  }).length;
  return withEvidence.length === 0 ? 0 : top / withEvidence.length;
}

function report(
  label: string,
  samples: readonly Sample[],
  model: AnswerModel,
  secondStage: SecondStageWeights,
): string {
  const withAnswer = samples.filter((s) => s.positive.some(Boolean));
  const top = withAnswer.filter((s) => {
    const best = ranked(s.candidates, model)[0];
    return best !== undefined && isCorrect(s.question, best.sentence);
  }).length;
  const cases = declineCases(samples, model);
  // The runners-up the answer shows beside the best sentence, and how many of them answer: the
  // chance JOIN_PROBABILITY stands for should be about what they do.
  const joined = samples.flatMap((s) =>
    likelyRunnersUp(ranked(s.candidates, model), s.maxSentences).map((c) =>
      isCorrect(s.question, c.sentence),
    ),
  );
  const rate = (kind: DeclineCase["kind"], answering: boolean) => {
    const of = cases.filter((c) => c.kind === kind);
    if (of.length === 0) return "   -  ";
    const n = of.filter(
      (c) => answerProbability(c.x, model) >= model.decline.threshold === answering,
    ).length;
    return (n / of.length).toFixed(3);
  };
  return [
    label.padEnd(26),
    String(samples.length).padStart(5),
    passageTop1(samples, secondStage).toFixed(3),
    (withAnswer.length === 0 ? 0 : top / withAnswer.length).toFixed(3),
    rate("answers", false),
    rate("unanswerable", false),
    rate("near-miss", false),
    rate("absent", false),
    rate("wrong", false),
    String(joined.length).padStart(5),
    joined.length === 0 ? "   -  " : (joined.filter(Boolean).length / joined.length).toFixed(3),
  ].join("  ");
}

/** Writes a generated module holding one fitted constant, formatted as the project formats code. */
async function writeFitted(
  file: string,
  spec: {
    what: string;
    sources: string;
    type: string;
    typeModule: string;
    name: string;
    doc: string;
    value: unknown;
  },
): Promise<void> {
  const text =
    `// Generated by \`npm run fit\` (scripts/fit.ts): ${spec.what}, fitted on data.\n` +
    `// Do not edit by hand; fit again after changing the features in ${spec.sources}.\n` +
    `import type { ${spec.type} } from "${spec.typeModule}";\n\n` +
    `/** ${spec.doc} */\n` +
    `export const ${spec.name}: ${spec.type} = ${JSON.stringify(spec.value)};\n`;
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
  process.stdout.write(`wrote ${file}\n`);
}

try {
  const samples: Sample[] = [];
  for (const set of SETS) samples.push(...(await collect(set)));
  const train = samples.filter((s) => !s.held);
  const held = samples.filter((s) => s.held);

  // Each set weighs as the square root of its size, so that DRCD's thousands of encyclopedia
  // questions do not drown the news questions the bot is asked.
  const sizeOf = new Map<string, number>();
  for (const s of train) sizeOf.set(s.set, (sizeOf.get(s.set) ?? 0) + 1);
  const setWeight = (s: Sample) => 1 / Math.sqrt(sizeOf.get(s.set) ?? 1);
  const passageWeights = fitRanking(
    train.map((s) => ({
      features: s.pool.map((p) => p.features),
      positive: s.pool.map((p) => p.relevant),
      weight: setWeight(s),
    })),
    SECOND_STAGE_FEATURES.length,
  );
  // Scaled to sum to one: the ranking is the same, and passage scores stay on the 0..1 scale
  // that the sentence model's passageScore feature was fitted on.
  const scale = passageWeights.reduce((a, w) => a + Math.abs(w), 0) || 1;
  const secondStage = {
    features: [...SECOND_STAGE_FEATURES],
    weights: passageWeights.map((w) => w / scale),
  };
  const sentenceWeights = fitRanking(
    train.map((s) => ({
      features: s.candidates.map((c) => c.features),
      positive: s.positive,
      weight: setWeight(s),
    })),
    SENTENCE_FEATURES.length,
  );
  const withSentences: AnswerModel = {
    sentence: { features: [...SENTENCE_FEATURES], weights: sentenceWeights },
    decline: ANSWER_MODEL.decline,
  };
  const cases = declineCases(train, withSentences, setWeight);
  const weights = caseWeights(cases);
  const examples: BinaryExample[] = cases.map((c) => ({
    x: c.x,
    y: c.y,
    weight: weights[c.kind] * c.setWeight,
  }));
  const logistic = fitLogistic(examples, DECLINE_FEATURES.length);
  const decline = { features: [...DECLINE_FEATURES], ...logistic, threshold: 0.5 };
  decline.threshold = chooseThreshold(cases, decline);
  const fitted: AnswerModel = { sentence: withSentences.sentence, decline };

  const header = [
    "set".padEnd(26),
    "    n",
    "psg1 ",
    "top1 ",
    "declA",
    "declU",
    "declNM",
    "declAb",
    "declW",
    "joind",
    "joinA",
  ].join("  ");
  const lines = [
    "psg1: the best passage of the second stage holds the evidence (where one of its candidates does)",
    "top1: the best sentence holds the answer (of questions where one of the candidates does)",
    "declA: declined where the best sentence answers; declU: unanswerable declined;",
    "declNM: near misses declined; declAb: absent stories declined; declW: declined where the best sentence is wrong",
    `joind: runners-up shown beside the best sentence (chance >= ${JOIN_PROBABILITY}); joinA: share of them that answer`,
    "",
    header,
  ];
  for (const [label, model, stage] of [
    ["current", ANSWER_MODEL, SECOND_STAGE],
    ["fitted", fitted, secondStage],
  ] as const) {
    for (const [part, list] of [
      ["train", train],
      ["held out", held],
    ] as const) {
      lines.push(report(`${label} ${part}`, list, model, stage));
      for (const set of SETS) {
        const of = list.filter((s) => s.set === set.name);
        if (of.length > 0) lines.push(report(`  ${set.name}`, of, model, stage));
      }
    }
  }
  lines.push(
    "",
    "second stage weights: " +
      SECOND_STAGE_FEATURES.map((f, i) => `${f} ${(secondStage.weights[i] ?? 0).toFixed(3)}`).join(
        ", ",
      ),
    "sentence weights: " +
      SENTENCE_FEATURES.map((f, i) => `${f} ${(sentenceWeights[i] ?? 0).toFixed(2)}`).join(", "),
    "decline weights: " +
      DECLINE_FEATURES.map((f, i) => `${f} ${(decline.weights[i] ?? 0).toFixed(2)}`).join(", ") +
      `, bias ${decline.bias.toFixed(2)}, threshold ${decline.threshold}`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
  const round = (x: number) => Number(x.toFixed(4));
  const model: AnswerModel = {
    sentence: { features: fitted.sentence.features, weights: fitted.sentence.weights.map(round) },
    decline: {
      features: decline.features,
      weights: decline.weights.map(round),
      bias: round(decline.bias),
      threshold: decline.threshold,
    },
  };
  if (values["dry-run"] !== true) {
    await writeFitted(path.join(ROOT_DIR, "src", "answer", "fitted-weights.ts"), {
      what: "the answer model's weights",
      sources: "candidates.ts or answer-model.ts",
      type: "AnswerModel",
      typeModule: "./answer-model.js",
      name: "FITTED_MODEL",
      doc: "The fitted answer model.",
      value: model,
    });
    await writeFitted(path.join(ROOT_DIR, "src", "retrieval", "fitted-second-stage.ts"), {
      what: "the second stage's weights",
      sources: "hybrid.ts or second-stage.ts",
      type: "SecondStageWeights",
      typeModule: "./second-stage.js",
      name: "FITTED_SECOND_STAGE",
      doc: "The fitted second-stage weights.",
      value: { features: secondStage.features, weights: secondStage.weights.map(round) },
    });
  }
} catch (error) {
  fail(error);
}
