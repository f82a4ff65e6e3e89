import type { Metadata, Viewport } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "链播 Lianbo", template: "%s · 链播" },
  description: "链播：供应商、小B 店主与消费者的直播社交电商平台",
};

/** Every page depends on the viewer or on live data: nothing is prerendered at build time. */
export const dynamic = "force-dynamic";

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#ff4d4f" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="zh-CN">
      <body>{children}</body>
    </html>
  );
}
