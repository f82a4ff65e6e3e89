import { expect, type Page } from "@playwright/test";

/** Signs a consumer in with phone + SMS code, reading the code from the development outbox. */
export async function signInConsumer(page: Page, phone: string, next = "/me/orders") {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByPlaceholder("请输入手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByTestId("sms-notice")).toContainText("验证码");
  const { code } = await (await page.request.get(`/api/dev/sms?phone=${phone}`)).json();
  expect(code).toMatch(/^\d{6}$/);
  await page.getByPlaceholder("6 位验证码").fill(code);
  await page.getByRole("button", { name: "登录 / 注册" }).click();
  await page.waitForURL((url) => url.pathname === next.split("?")[0]);
}

/** Signs a supplier, merchant or operator in with login + password. */
export async function signInStaff(page: Page, login: string, next: string) {
  await page.goto(`/staff/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("账号").fill(login);
  await page.getByLabel("密码").fill("lianbo123");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL((url) => url.pathname === next);
}

/** A fresh mainland mobile number per run, so each run registers a new consumer. */
export function freshPhone(): string {
  return `139${String(Date.now()).slice(-8)}`;
}

/** A well-formed resident ID number (GB 11643 check code) for real-name forms. */
export function testIdNumber(): string {
  const first17 = `110105199${Math.floor(Math.random() * 10)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

/** Moves the application clock forward (development only) and runs the jobs that became due. */
export async function advanceClock(page: Page, advance: string) {
  const res = await page.request.post("/api/dev/clock", { data: { advance } });
  expect(res.ok()).toBe(true);
}
