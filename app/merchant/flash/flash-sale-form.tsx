"use client";

import { yuan } from "@/components/format";
import { SpecialPriceForm, type SkuOption } from "@/components/special-price-form";

export type FlashSkuOption = SkuOption;

/** New flash sale: a SKU, a flash price, units set aside from its stock, a per-person limit, a window. */
export function FlashSaleForm({ options, defaultStart, defaultEnd }: { options: FlashSkuOption[]; defaultStart: string; defaultEnd: string }) {
  return (
    <SpecialPriceForm
      options={options}
      defaultStart={defaultStart}
      defaultEnd={defaultEnd}
      mutation={`mutation($input: CreateFlashSaleInput!) { createFlashSale(input: $input) { flashSale { id } errors { code message field } } }`}
      payloadField="createFlashSale"
      priceField="flashPrice"
      priceLabel="秒杀价"
      counts={[
        { name: "totalStock", label: "秒杀库存（件）", initial: "10", min: 1, missing: "请输入秒杀库存件数" },
        { name: "perUserLimit", label: "每人限购（件）", initial: "1", min: 1, max: 99, missing: "请输入每人限购件数" },
      ]}
      // A SKU can go on sale only below its price and above its floor, with stock to set aside.
      usable={(o) => o.minRetailPrice < o.retailPrice && o.stock > 0}
      hint={(o) => `店铺售价 ¥${yuan(o.retailPrice)}，秒杀价需不低于 ¥${yuan(o.minRetailPrice)} 且低于售价；可用库存 ${o.stock} 件`}
      note="秒杀库存从该规格库存中预留，活动结束或取消后未售出的部分自动退回；买家需在 5 分钟内付款。"
      savedText="秒杀活动已创建"
      submitText="创建秒杀"
    />
  );
}
