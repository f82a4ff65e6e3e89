import Link from "next/link";
import { config } from "@/graphql/platform/config";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/db/seed/demo";

export default function Home() {
  return (
    <main className="landing">
      <h1>链播 · 直播社交电商</h1>
      <p className="muted">供应商供货、店主开店直播、消费者边看边买 —— 一个平台，三种角色。</p>
      <div className="role-grid">
        <section className="card">
          <h2>逛店铺</h2>
          <p className="muted">手机浏览店铺、下单、查看物流</p>
          {DEMO_ACCOUNTS.merchants.map((m) => (
            <p key={m.slug}>
              <Link href={`/s/${m.slug}`} style={{ color: "#ff4d4f" }}>{m.name}</Link> <span className="muted">/s/{m.slug}</span>
            </p>
          ))}
          <Link className="btn" href="/me/orders">我的订单</Link>
        </section>
        <section className="card">
          <h2>店主工作台</h2>
          <p className="muted">选品、定价上架、查看店铺订单与毛利</p>
          <Link className="btn" href="/merchant">进入店主工作台</Link>
        </section>
        <section className="card">
          <h2>供应商门户</h2>
          <p className="muted">商品与 SKU、库存、发货</p>
          <Link className="btn" href="/supplier">进入供应商门户</Link>
        </section>
      </div>
      {config.devTools && (
        <section className="card" style={{ marginTop: 24 }}>
          <h2>演示账号</h2>
          <p>供应商：{DEMO_ACCOUNTS.suppliers.map((s) => s.login).join("、")}　店主：{DEMO_ACCOUNTS.merchants.map((m) => m.login).join("、")}　运营：{DEMO_ACCOUNTS.operator.login}　密码均为 <code>{DEMO_PASSWORD}</code></p>
          <p>消费者：手机号 {DEMO_ACCOUNTS.consumers.join("、")}，点击“获取验证码”后页面会显示开发环境验证码。</p>
        </section>
      )}
    </main>
  );
}
