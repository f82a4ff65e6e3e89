import Link from "next/link";
import { PasswordLoginForm } from "./password-login-form";

export const metadata = { title: "工作台登录" };

export default async function StaffLoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <main className="auth-box">
      <h1>工作台登录</h1>
      <p className="muted">供应商、店主与平台运营使用账号密码登录</p>
      <PasswordLoginForm next={next ?? "/portal"} />
      <p className="muted" style={{ marginTop: 16 }}>
        购物用户请使用 <Link href="/login" style={{ color: "#ff4d4f" }}>手机号登录</Link>
      </p>
    </main>
  );
}
