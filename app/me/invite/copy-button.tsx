"use client";

import { useState } from "react";

export function CopyButton({ text, label = "复制邀请链接" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      className="btn btn-primary"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => undefined);
        setCopied(true);
      }}
    >
      {copied ? "已复制" : label}
    </button>
  );
}
