/** The fictional county papers a generated corpus is made of, and their layout habits. */

/** A fictional county paper and its layout habits. */
export interface PaperProfile {
  /** Masthead name, used in file names (no "_"). */
  name: string;
  /** Latin masthead line (dropped by the parser as layout noise). */
  masthead: string;
  /** The county, with and without its suffix ("澄湖市", "澄湖"). */
  county: string;
  countyShort: string;
  towns: readonly string[];
  villages: readonly string[];
  /** Width of the hard wrap in characters. */
  wrapChars: number;
  /** Byline printed above the headline (as on page 003) rather than below it. */
  bylineFirst: boolean;
}

/** The papers a corpus can hold, in order; all fictional. */
export const PAPERS: readonly PaperProfile[] = [
  {
    name: "澄湖日报",
    masthead: "CHENGHU DAILY",
    county: "澄湖市",
    countyShort: "澄湖",
    towns: ["澄湖街道", "钟溪街道", "新塘镇", "林埭镇", "白沙镇", "东港镇", "凤桥镇", "广福镇"],
    villages: ["金桥村", "南河村", "荷花村", "塘北村", "沈家村", "永丰村", "杨庄村"],
    wrapChars: 20,
    bylineFirst: true,
  },
  {
    name: "柳浦日报",
    masthead: "LIUPU DAILY",
    county: "柳浦县",
    countyShort: "柳浦",
    towns: ["柳浦街道", "罗溪街道", "西溪镇", "姚泾镇", "云湖镇", "天宁镇", "惠民镇"],
    villages: ["星光村", "北港村", "新丰村", "长生村", "莲花村", "万兴村"],
    wrapChars: 34,
    bylineFirst: false,
  },
  {
    name: "桐溪日报",
    masthead: "TONGXI DAILY",
    county: "桐溪市",
    countyShort: "桐溪",
    towns: ["桐溪街道", "梧桐街道", "乌塘镇", "石门镇", "崇安镇", "河山镇"],
    villages: ["马鸣村", "新联村", "南日村", "东田村", "荣星村"],
    wrapChars: 22,
    bylineFirst: false,
  },
  {
    name: "盐湾日报",
    masthead: "YANWAN DAILY",
    county: "盐湾县",
    countyShort: "盐湾",
    towns: ["盐湾街道", "武原街道", "秦山镇", "通元镇", "沈荡镇", "澉浦镇"],
    villages: ["海北村", "永兴村", "丰义村", "六里村", "新桥村"],
    wrapChars: 30,
    bylineFirst: true,
  },
];
