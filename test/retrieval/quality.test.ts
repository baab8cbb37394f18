import { describe, expect, it } from "vitest";
import { aliasSpellings } from "../../src/retrieval/aliases.js";
import {
  matchesAnswerType,
  statesMeans,
  statesPurpose,
  statesReason,
} from "../../src/retrieval/answer-type.js";
import { analyzeTerms } from "../../src/retrieval/terms.js";
import { composeBylineAnswer } from "../../src/answer/byline.js";
import {
  askedSlot,
  bestSupport,
  maxSupport,
  scoreSentences,
} from "../../src/retrieval/evidence.js";
import { searchHybrid } from "../../src/retrieval/hybrid.js";
import { analyzeQuery } from "../../src/retrieval/query.js";
import { timeBoost } from "../../src/retrieval/time-boost.js";
import { tokenize } from "../../src/text/words.js";
import { prepareLexicon } from "../../src/text/lexicon.js";
import { compact } from "../../src/text/normalize.js";
import { ARCHIVES, useSampleEngine } from "../helpers/sample-engine.js";

describe.each(ARCHIVES)("on the %s archive", (archive) => {
  const sample = useSampleEngine("lnb-quality-", archive);

  /** The sentences of `text` as scored for `question`, read as a chunk of the sample archive. */
  const scoredIn = (question: string, text: string) => {
    const { index } = sample.engine;
    const [article] = index.articles();
    const [chunk] = index.chunksOfArticle(article?.id ?? "");
    if (!chunk) throw new Error("the sample archive has no chunk");
    const query = analyzeQuery(question);
    const { groups } = analyzeTerms(index, query.simplified);
    return scoreSentences(index, groups, askedSlot(query), { ...chunk, text });
  };
  /** Whether each sentence of `text` holds the kind of expression `question` asks for. */
  const typedOf = (question: string, text: string) => scoredIn(question, text).map((s) => s.typed);

  describe("query understanding against the archive", () => {
    it("spells a company's short name with the registered names the archive uses", () => {
      const { groups } = analyzeTerms(sample.engine.index, "景兴去年发展得怎么样?");
      const group = groups.find((g) => g.surface === "景兴");
      expect(group?.entity).toBe(true);
      expect(group?.spellings).toContainEqual(tokenize("浙江景兴纸业股份有限公司"));
    });

    it("names what the question is about in its phrases, not the slot it asks for", () => {
      // "多少人中毒": 人 is asked, and any poisoning story has 人中毒; 员工集体 names this one.
      const { phrases } = analyzeTerms(sample.engine.index, "港资厂员工集体中毒,有多少人中毒?");
      expect(phrases).not.toContain("人中毒");
      expect(phrases).toContain("员工集体");
    });

    it("does not take a word the dictionary lists only as a common word for a name", async () => {
      const question = "刘德一的籍贯在哪?长度是多少?";
      const lexicon = await prepareLexicon();
      const tagged = analyzeTerms(sample.engine.index, question).groups;
      const checked = analyzeTerms(sample.engine.index, question, lexicon).groups;
      // jieba tags 籍贯 a person's name and 长度 a place.
      expect(tagged.find((g) => g.surface === "籍贯")?.entity).toBe(true);
      expect(checked.find((g) => g.surface === "籍贯")?.entity).toBe(false);
      expect(checked.find((g) => g.surface === "长度")?.entity).toBe(false);
      expect(checked.find((g) => g.surface === "刘德一")?.entity).toBe(true);
    });

    it("keeps a quoted name a name when jieba cuts it into single characters", () => {
      const { groups } = analyzeTerms(sample.engine.index, "台风“摩羯”在平湖登陆时风力有多大?");
      expect(groups.filter((g) => g.entity).map((g) => g.surface)).toEqual(
        expect.arrayContaining(["摩", "羯"]),
      );
      expect(groups.find((g) => g.surface === "时")?.entity).toBe(false);
    });

    it("asks for the whole noun after 哪位, not only its first word", async () => {
      const question = "仲旭东去独山港镇和新仓镇走访企业,哪位副市长一起去了?";
      const { groups } = analyzeTerms(sample.engine.index, question);
      expect(groups.find((g) => g.surface === "市长")?.asked).toBe(true);
      const answer = await sample.engine.ask(question);
      expect(answer.text).toContain("金一");
    });

    it("asks for the verb that 啥东西在 or 谁在 asks who does, not for a verb before 在多少", () => {
      const burns = analyzeTerms(sample.engine.index, "平湖那场火主要是啥东西在烧?").groups;
      expect(burns.find((g) => g.surface === "烧")?.asked).toBe(true);
      const leads = analyzeTerms(sample.engine.index, "平湖的算力项目是谁在负责?").groups;
      expect(leads.find((g) => g.surface === "负责")?.asked).toBe(true);
      const limit = analyzeTerms(sample.engine.index, "高压先控制在多少以下?").groups;
      expect(limit.find((g) => g.surface === "控制")?.asked).toBe(false);
    });

    it("asks for the quantity before a verb of change (产值提高到多少), not for 到", () => {
      const { groups } = analyzeTerms(sample.engine.index, "平湖经开的产值提高到多少了?");
      expect(groups.find((g) => g.surface === "产值")?.attribute).toBe(true);
      expect(groups.find((g) => g.surface === "到")?.asked ?? false).toBe(false);
      expect(groups.find((g) => g.surface === "提高")?.asked ?? false).toBe(false);
      // A time that only says when the value holds stands between too.
      const now = analyzeTerms(sample.engine.index, "平湖经开的产值现在是多少?").groups;
      expect(now.find((g) => g.surface === "产值")?.attribute).toBe(true);
    });

    it("asks nothing with the words that spread a question over its things (各有, 各是)", () => {
      const { groups } = analyzeTerms(sample.engine.index, "平湖和嘉善各有多少家企业?");
      expect(groups.map((g) => g.surface)).not.toContain("各有");
      expect(groups.find((g) => g.surface === "企业")?.asked).toBe(true);
    });

    it("takes a noun jieba tags as a place for a common noun after 什么", () => {
      const { groups } = analyzeTerms(sample.engine.index, "平湖的什么东西有九成是进口的?");
      expect(groups.find((g) => g.surface === "东西")?.entity).toBe(false);
      expect(groups.find((g) => g.surface === "平湖")?.entity).toBe(true);
    });

    it("asks for the noun after 哪 and a classifier, not for the classifier glued to it", () => {
      for (const question of [
        "平湖学生吃过哪种菜?",
        "平湖学生吃过哪一种菜?",
        "平湖学生吃过哪几种菜?",
        "平湖学生吃过哪两种菜?",
        "平湖学生吃过哪样菜?",
        "平湖学生吃过哪几样菜?",
        "平湖学生吃了几样菜?",
        "平湖学生吃的是哪样子的菜?",
      ]) {
        const { groups } = analyzeTerms(sample.engine.index, question);
        expect(groups.map((g) => g.surface)).not.toContain("种菜");
        expect(groups.map((g) => g.surface)).not.toContain("样菜");
        expect(groups.map((g) => g.surface)).not.toContain("子");
        expect(groups.find((g) => g.surface === "菜")?.asked).toBe(true);
      }
    });

    it("treats the words of a recognised organisation as a name the answer must be about", () => {
      const { groups, entities } = analyzeTerms(
        sample.engine.index,
        "御辰东公司为什么春节期间也不停工?",
      );
      expect(entities.map((e) => e.kind)).toContain("organization");
      expect(groups.find((g) => g.surface.includes("御辰东"))?.entity).toBe(true);
    });
  });

  describe("wording that differs from the archive's", () => {
    it("searches a firm by its trade's name when the question names what it makes", () => {
      expect(aliasSpellings("那家造纸企业叫什么")).toContainEqual(["造纸", "纸业"]);
      expect(aliasSpellings("平湖有几家制药公司")).toContainEqual(["制药", "药业"]);
      // 制造企业 names no product.
      expect(aliasSpellings("平湖有多少制造企业")).toEqual([]);
    });

    it("finds the paper mill a leader visited, named 景兴纸业, first", async () => {
      const answer = await sample.engine.ask("帅燮琅在平湖走访的那家造纸企业叫什么?");
      expect(answer.abstained).toBe(false);
      expect(answer.passages[0]?.chunk.text).toContain("景兴纸业");
    });

    it("takes 几点 for one question word, leaving no glued word behind", () => {
      const { groups } = analyzeTerms(sample.engine.index, "夜间交易是从几点到几点?");
      expect(groups.map((g) => g.surface)).not.toContain("点到");
    });

    it("treats a quoted name in the question as a name, like an organisation's", () => {
      const { groups } = analyzeTerms(sample.engine.index, "“30分钟我来办”具体是怎么个办法?");
      expect(groups.find((g) => g.surface === "我来")?.entity).toBe(true);
      expect(groups.find((g) => g.surface === "办法")?.entity).toBe(false);
    });

    it("does not take a reporter's credit or an office for a person a who-question asks", () => {
      expect(
        matchesAnswerType("中新网12月14日电(记者杨大勇)14日,记者从区委宣传部获悉", "person"),
      ).toBe(false);
      expect(matchesAnswerType("本报讯(通讯员 王敏、李强)昨天,平湖举行运动会。", "person")).toBe(
        false,
      );
      expect(matchesAnswerType("市长李明对记者表示,工程年底完工。", "person")).toBe(true);
    });

    it("takes the holder named after an office for a person, though jieba cuts the name", () => {
      // jieba reads 潘加林 as 潘/nr 加林/ns.
      expect(matchesAnswerType("副市长潘加林参加会议。", "person")).toBe(true);
      expect(matchesAnswerType("董事长沈建国表示,工厂明年投产。", "person")).toBe(true);
      // An office followed by no name names no one.
      expect(matchesAnswerType("副市长参加会议。", "person")).toBe(false);
    });

    it("takes 亿 alone for a sum, but not 亿 of a counted thing", () => {
      expect(matchesAnswerType("项目总投资12亿,年内开工。", "money")).toBe(true);
      expect(matchesAnswerType("游戏的付费下载次数突破了1亿次大关。", "money")).toBe(false);
      expect(matchesAnswerType("全国有1.2亿人参加医保。", "money")).toBe(false);
      expect(matchesAnswerType("成交金额在10亿人民币左右。", "money")).toBe(true);
    });

    it("does not take a body spoken of without its name for the one a 哪所/哪家 question asks", () => {
      expect(matchesAnswerType("他已在波斯尼亚一所著名的国际学校登记入学。", "name")).toBe(false);
      expect(matchesAnswerType("该公司负责人表示,订单已恢复。", "name")).toBe(false);
      expect(matchesAnswerType("他就读的是波斯尼亚莫斯塔尔世界联合学院。", "name")).toBe(true);
      expect(matchesAnswerType("两名伤者被送往平湖市第一人民医院救治。", "name")).toBe(true);
    });

    it("takes 来自 and a native place with 籍 for where a person comes from", () => {
      expect(matchesAnswerType("面包车内的那名死者来自四川。", "origin")).toBe(true);
      expect(matchesAnswerType("一名湖北籍男子当场死亡。", "origin")).toBe(true);
      expect(matchesAnswerType("事故共造成车内1人死亡,其余7人受伤。", "origin")).toBe(false);
    });

    it("takes a speaker named by a nickname in quotes or by an office for the one who said it", () => {
      expect(
        matchesAnswerType("“馆长”在12月9日的直播中明确回应:“一块钱都不会跑。”", "person"),
      ).toBe(true);
      expect(matchesAnswerType("该公司负责人表示,工厂已停产整顿。", "person")).toBe(true);
      // An office that says nothing, or a nickname that says nothing, names no speaker.
      expect(matchesAnswerType("局长办公室在三楼。", "person")).toBe(false);
      expect(matchesAnswerType("他被粉丝称作“馆长”。", "person")).toBe(false);
    });

    it("does not take a date for the count or amount a number question asks", () => {
      // The loan is dated, not told: "How much was the first loan?" has no answer here.
      expect(
        matchesAnswerType("今年1月底,嘉善农商银行向恒聚生物发放了首笔“科创保”贷款。", "number"),
      ).toBe(false);
      expect(matchesAnswerType("2009年3月2日18时,伤员全部送医。", "number")).toBe(false);
      expect(matchesAnswerType("截至2日18时,参与救治的医护人员达1916名。", "number")).toBe(true);
      // Counts written in Chinese numerals: 两场, 第十八张.
      expect(matchesAnswerType("他成为该杯赛的裁判,执法了两场赛事。", "number")).toBe(true);
      expect(matchesAnswerType("这是她的第十八张个人粤语大碟。", "number")).toBe(true);
    });

    it("takes a superlative for the rank a 第几 question asks, and only for a rank", () => {
      const text = "马来西亚已成为中国在东盟最大的贸易伙伴。两国合作取得丰硕成果。";
      expect(typedOf("马来西亚是中国在东盟的第几大贸易伙伴?", text)).toEqual([true, false]);
      expect(typedOf("马来西亚和中国的贸易额有多少?", text)).toEqual([false, false]);
    });

    it("reads nothing asked in a link's digits", () => {
      const link = "https://www.statnews.com/2025/12/15/trump-declares-fentanyl-weapon";
      expect(matchesAnswerType(`原文见 ${link}`, "number")).toBe(false);
      expect(matchesAnswerType(`原文见 ${link},仅2毫克即可致命。`, "number")).toBe(true);
    });

    it("takes no count the question itself gives for the count it asks", () => {
      const text = "前11个月的外贸成绩单揭示了几个趋势。前11个月贸易顺差达1.076万亿美元。";
      expect(typedOf("前11个月外贸顺差有多少?", text)).toEqual([false, true]);
      // Where the question gives no number, the same sentence states one.
      expect(typedOf("外贸顺差有多少?", text)).toEqual([true, true]);
      // A count asked with its measure word, in a sentence of either script.
      expect(typedOf("大楼一共几层?", "大樓可容納600名員工。大樓地上13層。")).toEqual([
        false,
        true,
      ]);
    });

    it("answers a date asked to the hour with a time of day", () => {
      const text = "台北地方法院将在9月11日做出一审宣判。审判长谕知全案将于9月11日下午4时宣判。";
      expect(typedOf("那几个弊案,法院定在哪天几点一审宣判?", text)).toEqual([false, true]);
      expect(typedOf("那几个弊案,法院定在哪天一审宣判?", text)).toEqual([true, true]);
    });

    it("takes no ordinal the question names for a number it asks", () => {
      const text =
        "9月19日上午,武威市第一幼儿园部分儿童出现发烧、呕吐症状。卫生部门确定59名儿童有明显中毒症状。";
      expect(typedOf("武威第一幼儿园有多少孩子中毒?", text)).toEqual([false, true]);
      // An ordinal the question does not name still answers 第几.
      expect(typedOf("武威市哪所幼儿园出了事?是第几幼儿园?", text)[0]).toBe(true);
    });

    it("answers 基金有多大 with the fund's amount of money", async () => {
      const answer = await sample.engine.ask("平湖的人工智能基金有多大?");
      expect(answer.abstained).toBe(false);
      expect(answer.text).toContain("3亿元");
    });

    it("takes only a place of the asked level for 哪个镇, and reads 哪个村民 as no place", () => {
      const text = "浙江高裕家居科技股份有限公司主要生产床垫。该公司位于姚庄镇。";
      expect(typedOf("高裕家居在哪个镇?", text)).toEqual([false, true]);
      expect(typedOf("高裕家居在哪里?", text)).toEqual([true, true]);
      expect(askedSlot(analyzeQuery("是哪个村民说的?")).placeLevel).toBeUndefined();
      expect(askedSlot(analyzeQuery("高裕家居在哪个镇?")).placeLevel).toBe("镇");
    });

    it("takes only a sentence that names a year for 哪一年, and reads 哪个年级 as no year", () => {
      const text = "昨天下午,市委书记来到主题展。“八八战略”是2003年提出的。";
      expect(typedOf("八八战略是哪一年提出的?", text)).toEqual([false, true]);
      expect(typedOf("八八战略是什么时候提出的?", text)).toEqual([true, true]);
      expect(askedSlot(analyzeQuery("八八战略是哪一年提出的?")).asksYear).toBe(true);
      expect(askedSlot(analyzeQuery("他是哪个年级的学生?")).asksYear).toBeUndefined();
      // Years of eras and of the sexagenary cycle are years too.
      expect(typedOf("忽必烈哪一年称帝?", "庚申年三月,忽必烈称帝。公元571年,徐陵任尚书。")).toEqual(
        [true, true],
      );
    });

    it("marks a sentence that says where something stands for a where question, and ranks it up", () => {
      const scored = (question: string) =>
        scoredIn(question, "城东站今天在城东区正式启用。城东站位於光明路与新华路交叉口。");
      const [lead, located] = scored("城东站在什么地方?");
      expect([lead?.marked, located?.marked]).toEqual([false, true]);
      expect(located?.support ?? 0).toBeGreaterThan(lead?.support ?? 0);
      // Only a where question asks for it.
      expect(scored("城东站什么时候启用?").map((s) => s.marked)).toEqual([false, false]);
    });

    it("reads a sentence in traditional characters for every answer type", () => {
      expect(matchesAnswerType("幾何光學，又稱射線光學。", "alias")).toBe(true);
      expect(matchesAnswerType("損失達140餘萬元", "money")).toBe(true);
      expect(matchesAnswerType("該會議在臺北縣舉行。", "place")).toBe(true);
      expect(statesReason("由於煞車失靈，卡車衝進人群。")).toBe(true);
      expect(matchesAnswerType("他成為該杯賽的裁判，執法了兩場賽事。", "number")).toBe(true);
    });

    it("takes no name inside an organisation's for a person, and one beside it still", () => {
      expect(matchesAnswerType("浙江高裕家居科技股份有限公司主要生产床垫。", "person")).toBe(false);
      expect(matchesAnswerType("李宁创立了李宁公司。", "person")).toBe(true);
      expect(matchesAnswerType("高裕家居董事长高国强说,订单已排到年底。", "person")).toBe(true);
    });

    it("takes a person news refers to by surname and title for the one a who-question asks", () => {
      expect(matchesAnswerType("张先生说,两人当时都没戴头盔。", "person")).toBe(true);
      expect(matchesAnswerType("警方对王某处以拘留5天。", "person")).toBe(true);
      expect(matchesAnswerType("老百姓都很关心这件事。", "person")).toBe(false);
      expect(matchesAnswerType("两人当时都没戴头盔。", "person")).toBe(false);
      // A foreign name joined by a middle dot, which jieba does not know.
      expect(matchesAnswerType("他与特雷·帕克一起共同创作了动画片《南方公园》。", "person")).toBe(
        true,
      );
      expect(matchesAnswerType("自學有成的班傑明·富蘭克林做了一個風箏實驗；", "person")).toBe(true);
    });

    it("asks nothing next to a why: its words are the event the question starts from", () => {
      const { groups } = analyzeTerms(sample.engine.index, "那辆卡车为啥会冲进人群?");
      expect(groups.some((g) => g.asked)).toBe(false);
      const count = analyzeTerms(sample.engine.index, "那场车祸死了几个人?").groups;
      expect(count.some((g) => g.asked)).toBe(true);
    });

    it("takes an amount rounded with 余 or 多 for an amount of money", () => {
      expect(matchesAnswerType("价值140余万元的商品被大火吞噬", "money")).toBe(true);
      expect(matchesAnswerType("损失达十多万元", "money")).toBe(true);
      expect(matchesAnswerType("140余名群众被疏散", "money")).toBe(false);
    });

    it("does not take a numbered line or building for a date", () => {
      expect(matchesAnswerType("等到附近轨道交通10号线开通后再卖", "date")).toBe(false);
      expect(matchesAnswerType("3号楼的住户已全部撤离", "date")).toBe(false);
      expect(matchesAnswerType("地铁将于15号开通", "date")).toBe(true);
      // A century dates as a year does: "何时传入" is answered by "7世纪".
      expect(matchesAnswerType("佛教约在7世纪传入吐蕃。", "date")).toBe(true);
    });

    it("takes a time of day or a weekday for a when, but not an index's points", () => {
      expect(matchesAnswerType("每天下午5点开市,晚上11点收摊。", "date")).toBe(true);
      expect(matchesAnswerType("列车21:30发车。", "date")).toBe(true);
      expect(matchesAnswerType("纳斯达克综合指数上涨54.05点。", "date")).toBe(false);
      expect(matchesAnswerType("全程约需3小时。", "date")).toBe(false);
      expect(matchesAnswerType("图书馆每周一闭馆。", "date")).toBe(true);
      expect(matchesAnswerType("志愿者每周一次上门。", "date")).toBe(false);
    });

    it("takes 通过/采用 and a rule of handling as saying how", () => {
      expect(statesMeans("通过增加一路泵送管道,保证两台泵同时浇筑")).toBe(true);
      expect(statesMeans("“对简单的涉企问题,30分钟内直接办结。”")).toBe(true);
      expect(statesMeans("平湖牢牢牵住营商环境优化提升“一号改革”工程这个“牛鼻子”")).toBe(false);
    });
  });

  describe("the second stage's best sentence", () => {
    it("is the best of every sentence's support, though it tests fewer answer types", () => {
      const { index } = sample.engine;
      const chunks = index.articles().flatMap((a) => index.chunksOfArticle(a.id));
      for (const question of [
        "嘉兴市第四届红色故事讲解员大赛一等奖是谁?",
        "金融创新中心2#楼北塔有多高,一共几层?",
        "大圭电子当初为什么融资困难?",
        "帅燮琅在平湖走访的那家造纸企业叫什么?",
      ]) {
        const query = analyzeQuery(question);
        const { groups } = analyzeTerms(index, query.simplified);
        for (const chunk of chunks) {
          const all = scoreSentences(index, groups, askedSlot(query), chunk);
          const expected = Math.max(0, ...all.map((s) => s.support));
          expect(bestSupport(index, groups, askedSlot(query), chunk), chunk.id).toBe(expected);
        }
      }
    });

    it("never exceeds the bound the second stage ranks with before computing it", () => {
      const { index } = sample.engine;
      const chunks = index.articles().flatMap((a) => index.chunksOfArticle(a.id));
      for (const question of ["平湖有多少家企业?", "大圭电子为什么融资困难?", "谁主持的会议?"]) {
        const query = analyzeQuery(question);
        const { groups } = analyzeTerms(index, query.simplified);
        const most = maxSupport(query.answerType);
        for (const chunk of chunks) {
          expect(bestSupport(index, groups, askedSlot(query), chunk)).toBeLessThanOrEqual(most);
        }
      }
    });

    it("ranks passages as scoring every candidate does, though it scores only those that can place", async () => {
      const { index, embedder } = sample.engine;
      for (const question of [
        "嘉兴市第四届红色故事讲解员大赛一等奖是谁?",
        "金融创新中心2#楼北塔有多高,一共几层?",
        "大圭电子当初为什么融资困难?",
        "平湖今年一季度有多少个重大项目集中开工?",
      ]) {
        const query = analyzeQuery(question);
        let scoredAll = 0;
        // Receiving every candidate's features makes the second stage score them all.
        const every = await searchHybrid(index, embedder, query, {
          limit: 5,
          onSecondStage: (pool) => (scoredAll = pool.length),
        });
        const bounded = await searchHybrid(index, embedder, query, { limit: 5 });
        expect(scoredAll).toBeGreaterThan(5);
        expect(bounded.map((p) => [p.chunk.id, p.score])).toEqual(
          every.map((p) => [p.chunk.id, p.score]),
        );
      }
    });
  });

  describe("time in a question as a boost", () => {
    it("boosts chunks of editions in the range and leaves the rest at zero", () => {
      const boost = timeBoost(sample.engine.index, { from: "2023-03-01", to: "2023-03-31" });
      const chunks = sample.engine.index
        .articles()
        .flatMap((a) => sample.engine.index.chunksOfArticle(a.id));
      const inMarch = chunks.filter((c) => c.date === "2023-03-28");
      const later = chunks.filter((c) => c.date === "2025-02-10");
      expect(inMarch.length).toBeGreaterThan(0);
      expect(inMarch.every((c) => boost(c) === 1)).toBe(true);
      expect(later.some((c) => boost(c) === 0)).toBe(true);
    });

    it("still answers from a report of another year when the question says 今年", async () => {
      // Asked in 2026 about a 2025 edition: a filter would find nothing.
      const answer = await sample.engine.ask("平湖今年全年固定资产投资力争突破多少?");
      expect(answer.abstained).toBe(false);
      expect(answer.text).toContain("438亿元");
    });
  });

  describe("answers of the asked type", () => {
    it("lets any sentence answer why, and marks the ones that name a cause", () => {
      expect(matchesAnswerType("经过检测,酸菜的主要原料为豇豆。", "reason")).toBe(true);
      expect(matchesAnswerType("女孩17岁,是从浙江老家来京看望在京养蜂的父母的。", "reason")).toBe(
        true,
      );
      expect(statesReason("初查,火灾可能是电器使用不当引发。")).toBe(true);
      expect(statesReason("受国际金融危机的影响,劳动争议案件数量大幅上升。")).toBe(true);
      // A cause credited: "thanks to", "rests on".
      expect(statesReason("销量回升,得益于以旧换新补贴的带动。")).toBe(true);
      expect(statesReason("会议落在这里,还有赖于当地的产业基础。")).toBe(true);
      expect(statesReason("事故造成3人受伤。")).toBe(false);
      // A question that asks a purpose is answered by what states one, not by a cause.
      expect(askedSlot(analyzeQuery("这次研讨会主要想解决哪些问题?")).asksPurpose).toBe(true);
      expect(askedSlot(analyzeQuery("研讨会为什么选在平湖开?")).asksPurpose).toBeUndefined();
      expect(statesPurpose("会议旨在破解算力价值评估难等痛点。")).toBe(true);
      expect(statesPurpose("会议落在这里,还有赖于当地的产业基础。")).toBe(false);
      expect(statesReason("这次调整受到市民欢迎。")).toBe(false);
    });

    it("answers 是谁 with the sentence that names the person", async () => {
      const answer = await sample.engine.ask("嘉兴市第四届红色故事讲解员大赛一等奖是谁?");
      expect(answer.text).toContain("郭梦娜");
      expect(compact(answer.citations[0]?.chunk.text ?? "")).toContain("郭梦娜");
    });

    it("adds further sentences only from the article of the best one", async () => {
      const answer = await sample.engine.ask("“30分钟我来办”具体是怎么个办法?");
      const articles = new Set(answer.citations.map((c) => c.chunk.articleId));
      expect(articles.size).toBe(1);
    });

    it("concludes a comparison with the larger amount, both facts cited", async () => {
      const answer = await sample.engine.ask("阿里长三角智算基地和润泽智算中心,哪个总投资更大?");
      expect(answer.citations.length).toBeGreaterThanOrEqual(2);
      expect(answer.text).toContain("润泽智算中心的总投资更大(468亿元,另一个为143亿元)");
    });
  });

  describe("questions about a reporter's or photographer's work", () => {
    it("lists the photos credited to the photographer, each with its first sentence cited", async () => {
      const answer = await sample.engine.ask("摄影陈明远参与拍的两张照片分别拍的是啥?");
      expect(answer.text).toContain("无人植保车");
      expect(answer.text).toContain("AGV");
      expect(answer.citations).toHaveLength(2);
      expect(answer.citations.every((c) => c.chunk.byline.includes("陈明远"))).toBe(true);
    });

    it("lists a reporter's articles for 记者…写了哪些报道", async () => {
      const answer = await sample.engine.ask("记者荣怡婷写了哪些报道?");
      expect(answer.abstained).toBe(false);
      expect(answer.citations.length).toBeGreaterThan(0);
      expect(answer.citations.every((c) => c.chunk.byline.includes("荣怡婷"))).toBe(true);
    });

    it("looks up no byline for a word before 报道 that is no name", () => {
      const index = sample.engine.index;
      const looked: string[][] = [];
      const counting = new Proxy(index, {
        get(target, key, receiver) {
          if (key === "searchLexical") {
            return (terms: string[], k: number) => {
              looked.push(terms);
              return target.searchLexical(terms, k);
            };
          }
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      expect(composeBylineAnswer(counting, "数码相机行情报道里,尼康D90卖多少钱?")).toBeUndefined();
      expect(looked).toEqual([]);
      expect(
        composeBylineAnswer(counting, "荣怡婷写了哪些报道?")?.citations.length,
      ).toBeGreaterThan(0);
      expect(looked).toEqual([["荣怡婷"]]);
    });

    it("answers a question about a person who is no reporter the usual way", async () => {
      const answer = await sample.engine.ask("帅燮琅在平湖走访了哪些企业?");
      expect(answer.citations.some((c) => c.chunk.byline.includes("帅燮琅"))).toBe(false);
    });
  });
});
