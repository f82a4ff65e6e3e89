import Link from "next/link";
import { config } from "@/graphql/platform/config";
import { SmsLoginForm } from "./sms-login-form";

export const metadata = { title: "登录" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <main className="auth-box">
      <h1>手机号登录</h1>
      <p className="muted">登录后可下单、查看订单与物流</p>
      <SmsLoginForm next={next ?? "/me/orders"} devHints={config.devTools} />
      <p className="muted" style={{ marginTop: 16 }}>
        供应商、店主或平台运营？<Link href="/staff/login" style={{ color: "#ff4d4f" }}>账号密码登录</Link>
      </p>
    </main>
  );
}
