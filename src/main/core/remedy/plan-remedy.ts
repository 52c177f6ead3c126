// A finding's remedy as the UCI changes of the one end it touches, planned like setup's ends so
// the preview, the batch and the rollback apply are the same machinery.
import type { FieldError } from '../../../shared/setup';
import type { Remedy } from '../../../shared/remedy';
import { finishEnd } from '../setup/plan-setup';
import type { EndPlan, PlanError } from '../setup/plan-setup';
import { dhcpMtuChanges } from '../setup/plan-setup';
import type { UciChange } from '../uci/changes';
import type { UciConfigs } from '../uci/model';
import { findOption } from '../uci/model';
import { fieldError } from '../setup/validate';

export type RemedyPlanResult =
  | { kind: 'ok'; plan: EndPlan; notes: string[]; notesLocalized: { 'zh-CN': string[] } }
  | { kind: 'invalid'; errors: FieldError[] }
  | PlanError;

const htmodePattern = /^(HT(20|40)|VHT(20|40|80|160)|HE(20|40|80|160)|EHT(20|40|80|160|320))$/;

/** Field problems of a remedy that came over the contract (it is input like any other). */
export function validateRemedy(value: unknown): FieldError[] {
  if (typeof value !== 'object' || value === null)
    return [
      fieldError(
        'remedy',
        { message: 'The remedy is missing.', fix: 'Pick a finding to fix.' },
        { message: '缺少修复方案。', fix: '请选择要修复的问题。' },
      ),
    ];
  const r = value as Record<string, unknown>;
  if (r['kind'] === 'home-dhcp-mtu') {
    const mtu = r['mtu'];
    if (r['end'] !== 'home')
      return [
        fieldError(
          'remedy.end',
          { message: 'This remedy changes home.', fix: 'Use end "home".' },
          { message: '这项修复改的是家里的路由器。', fix: '请使用 end "home"。' },
        ),
      ];
    if (typeof mtu !== 'number' || !Number.isInteger(mtu) || mtu < 576 || mtu > 1500)
      return [
        fieldError(
          'remedy.mtu',
          {
            message: `The MTU ${String(mtu)} is not one a DHCP server should offer.`,
            fix: 'Use a whole number from 576 to 1500: the L2 path MTU the doctor measured.',
          },
          {
            message: `MTU ${String(mtu)} 不是 DHCP 服务器应当提供的值。`,
            fix: '请使用 576 到 1500 之间的整数：诊断测得的二层路径 MTU。',
          },
        ),
      ];
    return [];
  }
  if (r['kind'] === 'router-wifi-width') {
    const errors: FieldError[] = [];
    if (r['end'] !== 'router')
      errors.push(
        fieldError(
          'remedy.end',
          { message: 'This remedy changes the travel router.', fix: 'Use end "router".' },
          { message: '这项修复改的是旅行路由器。', fix: '请使用 end "router"。' },
        ),
      );
    if (typeof r['radio'] !== 'string' || !/^[A-Za-z0-9_]{1,32}$/.test(r['radio']))
      errors.push(
        fieldError(
          'remedy.radio',
          {
            message: `"${String(r['radio'])}" is not a radio section name.`,
            fix: 'Use the wifi-device name from /etc/config/wireless, e.g. radio1.',
          },
          {
            message: `“${String(r['radio'])}”不是无线电（wifi-device）配置节的名字。`,
            fix: '请使用 /etc/config/wireless 中 wifi-device 的名字，例如 radio1。',
          },
        ),
      );
    if (typeof r['htmode'] !== 'string' || !htmodePattern.test(r['htmode']))
      errors.push(
        fieldError(
          'remedy.htmode',
          {
            message: `"${String(r['htmode'])}" is not a channel width mode.`,
            fix: 'Use one of HT20, HT40, VHT80, HE80, EHT160 and the like.',
          },
          {
            message: `“${String(r['htmode'])}”不是信道宽度模式。`,
            fix: '请使用 HT20、HT40、VHT80、HE80、EHT160 之类的值。',
          },
        ),
      );
    return errors;
  }
  return [
    fieldError(
      'remedy.kind',
      {
        message: `Unknown remedy "${String(r['kind'])}".`,
        fix: 'Use home-dhcp-mtu or router-wifi-width.',
      },
      {
        message: `未知的修复方案“${String(r['kind'])}”。`,
        fix: '请使用 home-dhcp-mtu 或 router-wifi-width。',
      },
    ),
  ];
}

/**
 * The end's changes for the remedy against its committed configs. `known` is false when the
 * end was not read (home without SSH): the plan is then text to paste, without a preview.
 */
export function planRemedy(remedy: Remedy, configs: UciConfigs, known: boolean): RemedyPlanResult {
  const errors = validateRemedy(remedy);
  if (errors.length > 0) return { kind: 'invalid', errors };
  let changes: UciChange[];
  let reloads: string[];
  const notes: string[] = [];
  const notesZh: string[] = [];
  const note = (en: string, zh: string) => {
    notes.push(en);
    notesZh.push(zh);
  };
  if (remedy.kind === 'home-dhcp-mtu') {
    changes = dhcpMtuChanges(configs, remedy.mtu, known);
    reloads = ['/etc/init.d/dnsmasq reload'];
    note(
      `Devices on the bridged SSID learn MTU ${remedy.mtu} at their next DHCP lease: reconnect the headset to the Wi-Fi (or wait for its lease to renew). Home LAN devices get the same MTU.`,
      `桥接 SSID 上的设备会在下次获取 DHCP 租约时得到 MTU ${remedy.mtu}：让头显重新连接 Wi-Fi（或等待租约续期）。家里局域网的设备也会得到同样的 MTU。`,
    );
  } else {
    const radio = configs['wireless']?.sections.find(
      (s) => s.name === remedy.radio && s.type === 'wifi-device',
    );
    if (known && !radio)
      return {
        kind: 'error',
        message: `The travel router has no radio "${remedy.radio}" in /etc/config/wireless.`,
        fix: 'Run the checks again: the radio names come from the router.',
        zh: {
          message: `旅行路由器的 /etc/config/wireless 中没有无线电“${remedy.radio}”。`,
          fix: '请重新运行检查：无线电的名字来自路由器。',
        },
      };
    const current = radio ? findOption(radio, 'htmode') : undefined;
    changes =
      current?.value === remedy.htmode
        ? []
        : [
            {
              kind: 'set',
              config: 'wireless',
              section: remedy.radio,
              option: 'htmode',
              value: remedy.htmode,
            },
          ];
    reloads = ['wifi reload'];
    note(
      'The Wi-Fi restarts for a few seconds: devices reconnect on their own. If the router does not come back, it restores the old setting by itself.',
      'Wi-Fi 会重启几秒钟：设备会自动重新连接。如果路由器没有恢复连接，它会自行恢复原设置。',
    );
  }
  const plan = finishEnd(configs, changes, reloads, [], undefined, known);
  if ('kind' in plan) return plan;
  return { kind: 'ok', plan, notes, notesLocalized: { 'zh-CN': notesZh } };
}
