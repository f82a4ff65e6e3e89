/** Demo catalog: realistic products of two suppliers. Prices in fen. */
export type DemoProduct = {
  title: string;
  category: string;
  description: string;
  axes: { name: string; values: string[] }[];
  /** Supply price of the first SKU; others scale by index. */
  supply: number;
  stock: number;
};

const sizes = { name: "尺码", values: ["S", "M", "L", "XL"] };
const colors = (...values: string[]) => ({ name: "颜色", values });
const weight = (...values: string[]) => ({ name: "规格", values });

export const FRESH_PRODUCTS: DemoProduct[] = [
  { title: "赣南脐橙 当季现摘", category: "生鲜水果", description: "江西赣州产区，果园直发，酸甜多汁。", axes: [weight("5斤装", "10斤装")], supply: 2590, stock: 500 },
  { title: "攀枝花凯特芒果", category: "生鲜水果", description: "大果核小，香甜细腻。", axes: [weight("3斤装", "5斤装")], supply: 2890, stock: 300 },
  { title: "烟台红富士苹果", category: "生鲜水果", description: "脆甜爽口，果径80mm以上。", axes: [weight("5斤装", "10斤装")], supply: 2290, stock: 400 },
  { title: "丹东99草莓", category: "生鲜水果", description: "冷链直达，个大饱满。", axes: [weight("2斤装", "3斤装")], supply: 4590, stock: 120 },
  { title: "新疆阿克苏冰糖心苹果", category: "生鲜水果", description: "糖心明显，产地直发。", axes: [weight("5斤装", "9斤装")], supply: 3190, stock: 350 },
  { title: "海南金煌芒", category: "生鲜水果", description: "果肉金黄，纤维少。", axes: [weight("5斤装")], supply: 3390, stock: 200 },
  { title: "云南高山蓝莓", category: "生鲜水果", description: "果粉完整，单果12mm+。", axes: [weight("4盒装", "8盒装")], supply: 3990, stock: 150 },
  { title: "西湖龙井 明前特级", category: "茶叶冲饮", description: "杭州西湖产区，手工炒制。", axes: [weight("50g", "100g", "250g")], supply: 6800, stock: 200 },
  { title: "福鼎白茶 寿眉饼", category: "茶叶冲饮", description: "三年陈寿眉，枣香明显。", axes: [weight("100g", "350g")], supply: 5800, stock: 180 },
  { title: "云南普洱 熟茶砖", category: "茶叶冲饮", description: "勐海原料，醇厚顺滑。", axes: [weight("250g")], supply: 4200, stock: 260 },
  { title: "武夷山大红袍", category: "茶叶冲饮", description: "岩韵十足，中火焙。", axes: [weight("125g", "250g")], supply: 8800, stock: 90 },
  { title: "宁夏中宁枸杞", category: "滋补养生", description: "头茬果，颗粒饱满。", axes: [weight("250g", "500g")], supply: 2600, stock: 300 },
  { title: "长白山黑木耳", category: "南北干货", description: "小碗耳，泡发率高。", axes: [weight("250g", "500g")], supply: 2100, stock: 240 },
  { title: "五常稻花香大米", category: "粮油米面", description: "当季新米，软糯香甜。", axes: [weight("5kg", "10kg")], supply: 5900, stock: 220 },
  { title: "土蜂蜜 农家自产", category: "滋补养生", description: "秦岭百花蜜，天然成熟。", axes: [weight("500g", "1kg")], supply: 3600, stock: 160 },
  { title: "内蒙古风干牛肉干", category: "休闲零食", description: "手撕风干，原味/香辣可选。", axes: [{ name: "口味", values: ["原味", "香辣"] }, weight("250g", "500g")], supply: 4500, stock: 210 },
];

export const TEXTILE_PRODUCTS: DemoProduct[] = [
  { title: "新疆长绒棉圆领T恤", category: "女装", description: "200g 精梳棉，不易变形。", axes: [colors("白色", "黑色", "雾霾蓝"), sizes], supply: 3200, stock: 60 },
  { title: "高腰阔腿牛仔裤", category: "女装", description: "显瘦垂感，四季可穿。", axes: [colors("浅蓝", "深蓝"), sizes], supply: 6900, stock: 40 },
  { title: "真丝印花衬衫", category: "女装", description: "19姆米桑蚕丝。", axes: [colors("米白", "墨绿"), sizes], supply: 15800, stock: 30 },
  { title: "羊毛混纺针织开衫", category: "女装", description: "柔软亲肤，春秋百搭。", axes: [colors("燕麦色", "酒红"), sizes], supply: 12900, stock: 35 },
  { title: "男士商务免烫衬衫", category: "男装", description: "抗皱免烫，通勤必备。", axes: [colors("白色", "浅蓝"), sizes], supply: 7900, stock: 50 },
  { title: "男士休闲九分裤", category: "男装", description: "弹力面料，活动自如。", axes: [colors("卡其", "黑色"), sizes], supply: 6500, stock: 45 },
  { title: "加绒连帽卫衣", category: "男装", description: "350g 毛圈加绒。", axes: [colors("灰色", "藏青"), sizes], supply: 8900, stock: 55 },
  { title: "纯棉四件套 1.8m床", category: "家纺", description: "40支全棉斜纹，亲肤透气。", axes: [colors("奶咖", "雾蓝", "豆绿")], supply: 15900, stock: 80 },
  { title: "天然乳胶枕", category: "家纺", description: "泰国进口乳胶，护颈曲线。", axes: [{ name: "款式", values: ["波浪款", "面包款"] }], supply: 9900, stock: 100 },
  { title: "冬季加厚羽绒被", category: "家纺", description: "90%白鸭绒，蓬松保暖。", axes: [{ name: "尺寸", values: ["150×200cm", "200×230cm"] }], supply: 29900, stock: 40 },
  { title: "珊瑚绒睡衣套装", category: "家居服", description: "柔软加厚，冬季居家。", axes: [colors("粉色", "灰色"), sizes], supply: 5900, stock: 70 },
  { title: "纯棉毛巾 三条装", category: "家纺", description: "A类标准，强吸水。", axes: [colors("白色", "彩色")], supply: 2900, stock: 300 },
  { title: "儿童纯棉连体衣", category: "童装", description: "A类婴幼儿标准。", axes: [colors("米黄", "浅粉"), { name: "尺码", values: ["66", "73", "80", "90"] }], supply: 4900, stock: 60 },
  { title: "羊绒围巾", category: "配饰", description: "内蒙古山羊绒，轻薄保暖。", axes: [colors("驼色", "黑色", "酒红")], supply: 19900, stock: 50 },
  { title: "真皮手提托特包", category: "箱包", description: "头层牛皮，大容量通勤。", axes: [colors("黑色", "焦糖")], supply: 32900, stock: 25 },
  { title: "帆布休闲鞋", category: "鞋靴", description: "硫化工艺，耐穿百搭。", axes: [colors("白色", "黑色"), { name: "尺码", values: ["36", "37", "38", "39", "40", "41", "42"] }], supply: 5900, stock: 20 },
];
