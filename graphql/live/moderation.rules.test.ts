/**
 * The comment filter and the Advertising Law check, with the shipped word lists: what is held,
 * masked or delivered; an evasion set (inserted symbols, full-width letters, traditional
 * characters, pinyin) that must still be caught; and a false-positive set of ordinary product
 * titles and comments that must pass untouched.
 */
import { describe, expect, it } from "vitest";
import { compileLists, moderate, normalise, parseWordList } from "./moderation.rules";
import { shippedMatcher } from "./moderation-words";

const lists = shippedMatcher();
const check = (text: string, mode: "COMMENT" | "AD_COPY" = "COMMENT") => moderate(text, lists, mode);

describe("moderate: comments", () => {
  it.each<[string, string, string]>([
    ["加我微信聊", "HOLD", "加我微信"],
    ["主播是傻逼", "MASK", "傻逼"],
    ["这个颜色真好看", "DELIVER", ""],
    ["全网最低价吗", "MASK", "全网最低"],
    ["赌博的事别说了", "HOLD", "赌博"],
  ])("given %s, then %s (hit: %s)", (text, action, hitText) => {
    const v = check(text);
    expect(v.action).toBe(action);
    if (hitText) expect(v.hits.map((h) => h.text)).toContain(hitText);
    else expect(v.hits).toEqual([]);
  });

  it("masks every character of a hit, including symbols inserted inside it, and keeps the rest", () => {
    expect(check("你是傻.逼吧").masked).toBe("你是＊＊＊吧");
    expect(check("真是个 SB 主播").masked).toBe("真是个 ＊＊ 主播");
  });

  it("does not mask single-character ad terms in a viewer's words (我最喜欢) but does in an anchor's script", () => {
    expect(check("我最喜欢这个").action).toBe("DELIVER");
    const script = check("这是我用过最滋润的面霜", "AD_COPY");
    expect(script.action).toBe("MASK");
    expect(script.hits).toEqual([expect.objectContaining({ term: "最", category: "AD_LAW", text: "最" })]);
  });
});

describe("evasion set: still caught", () => {
  it.each<[string, string, string]>([
    // inserted symbols, spaces, zero-width characters, emoji
    ["加.微.信", "HOLD", "加微信"],
    ["加 我 微 信", "HOLD", "加我微信"],
    ["加\u200b微\u200d信", "HOLD", "加微信"],
    ["加😀微💗信", "HOLD", "加微信"],
    ["赌*博", "HOLD", "赌博"],
    // full-width letters and digits, upper case
    ["加ＶＸ", "HOLD", "加vx"],
    ["ＳＢ主播", "MASK", "sb"],
    ["加VX号", "HOLD", "加vx"],
    // traditional characters
    ["賭博", "HOLD", "赌博"],
    ["傳銷", "HOLD", "传销"],
    ["國家級品質", "MASK", "国家级"],
    // pinyin, whole or mixed
    ["jia wei xin", "HOLD", "加微信"],
    ["加wei信", "HOLD", "加微信"],
    ["JIA WEI XIN", "HOLD", "加微信"],
    ["du bo wang zhan", "HOLD", "赌博"],
    ["sha bi", "MASK", "傻逼"],
    // homophone variants shipped in the list
    ["加薇信", "HOLD", "加微信"],
  ])("given %s, then %s", (text, action, _) => {
    const v = check(text);
    expect(v.action).toBe(action);
    expect(v.hits.length).toBeGreaterThan(0);
    expect(v.masked).not.toBe(text);
  });
});

describe("false-positive set: ordinary product titles and comments pass untouched", () => {
  it.each([
    "云南普洱熟茶 357g 饼茶",
    "儿童加绒卫衣 秋冬新款",
    "最近很火的辣条大礼包",
    "第一次购买送试用装",
    "加厚防滑拖鞋 男女款",
    "微波炉专用饭盒",
    "信阳毛尖 2026 新茶",
    "USB 充电线 1 米",
    "手机壳 适用 iPhone 15",
    "东北五常大米 5kg",
    "威信县特产 土豆",
    "大麻绳 手工编织收纳篮",
    "第一时间发货吗",
    "可以微信支付吗",
    "No.10 号色口红",
    "主播讲得好清楚",
    "最后一件了吗",
    "拖鞋 39 码有货吗",
    "sbs 洗面奶",
    "大麻将桌 折叠",
    "adamant 钻石切割刀",
    "shabby chic 复古花瓶",
  ])("given %s, then DELIVER with no hits", (text) => {
    const v = check(text);
    expect(v.hits).toEqual([]);
    expect(v.action).toBe("DELIVER");
    expect(v.masked).toBe(text);
  });
});

describe("Advertising Law check on scripts and product texts", () => {
  it("marks each offending word with its place in the original text", () => {
    const text = "国家级工艺，全网最低价，销量第一！";
    const v = check(text, "AD_COPY");
    const words = v.hits.map((h) => [h.text, text.slice(h.start, h.end)]);
    expect(words).toEqual(expect.arrayContaining([["国家级", "国家级"], ["销量第一", "销量第一"]]));
    expect(v.hits.some((h) => h.text.startsWith("全网最低"))).toBe(true);
    expect(v.hits.every((h) => h.category === "AD_LAW")).toBe(true);
  });

  it("passes compliant copy", () => {
    expect(check("甄选云南古树茶，口感醇厚，第一次喝也容易入口", "AD_COPY").hits).toEqual([]);
  });
});

describe("lists", () => {
  it("parses one term per line, ignoring comments and blank lines", () => {
    expect(parseWordList("# head\n加微信\n\n  赌博  # gambling\n")).toEqual(["加微信", "赌博"]);
  });

  it("given an operator-added term, then it is matched with the same evasion handling", () => {
    const extended = compileLists({ HOLD: ["私人号码"], MASK: [], AD_LAW: [], ALLOW: [] });
    expect(moderate("私 人 號 碼", extended).action).toBe("HOLD");
    expect(moderate("si ren hao ma", extended).action).toBe("HOLD");
  });

  it("normalises full-width, case, traditional characters and drops noise, remembering where each character came from", () => {
    const n = normalise("Ａ.賭😀博");
    expect(n.chars).toEqual(["a", "赌", "博"]);
    expect(n.from).toEqual([0, 2, 5]);
  });
});
