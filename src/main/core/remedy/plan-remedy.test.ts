import { describe, expect, it } from 'vitest';
import { expectChineseFor } from '../localized-text.test-support';
import { readSetupConfigs as readConfigs } from '../setup/setup-fixtures.test-support';
import { planRemedy, validateRemedy } from './plan-remedy';

function planned(result: ReturnType<typeof planRemedy>) {
  if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
  return result.plan;
}

describe('planRemedy: home-dhcp-mtu', () => {
  const home = readConfigs('seed-home');

  it('adds option 26 with the measured MTU to dhcp.lan and reloads dnsmasq', () => {
    const plan = planned(planRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 }, home, true));
    expect(plan.batch).toBe("add_list dhcp.lan.dhcp_option='26,1370'\ncommit dhcp\n");
    expect(plan.reloads).toEqual(['/etc/init.d/dnsmasq reload']);
    expect(plan.previews.map((p) => p.config)).toEqual(['dhcp']);
    expect(plan.previews[0]?.unified).toContain("+\tlist dhcp_option '26,1370'");
  });

  it('replaces an older MTU option instead of stacking a second one', () => {
    const first = planned(
      planRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1400 }, home, true),
    );
    const second = planned(
      planRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1320 }, first.after, true),
    );
    expect(second.batch).toContain("del_list dhcp.lan.dhcp_option='26,1400'");
    expect(second.batch).toContain("add_list dhcp.lan.dhcp_option='26,1320'");
    const lan = second.after['dhcp']?.sections.find((s) => s.name === 'lan');
    expect(lan?.options.find((o) => o.name === 'dhcp_option')?.value).toEqual(['26,1320']);
  });

  it('has nothing to change when home already offers that MTU', () => {
    const once = planned(planRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 }, home, true));
    const again = planned(
      planRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 }, once.after, true),
    );
    expect(again.changes).toEqual([]);
  });

  it('without home read, still gives the batch (to paste) but no preview', () => {
    const plan = planned(planRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 }, {}, false));
    expect(plan.batch).toBe("add_list dhcp.lan.dhcp_option='26,1370'\ncommit dhcp\n");
    expect(plan.previews).toEqual([]);
  });
});

describe('planRemedy: router-wifi-width', () => {
  const router = readConfigs('factory-router');

  it('sets the named radio to the wider mode and reloads wifi', () => {
    const plan = planned(
      planRemedy(
        { kind: 'router-wifi-width', end: 'router', radio: 'radio0', htmode: 'HE40' },
        router,
        true,
      ),
    );
    expect(plan.batch).toBe("set wireless.radio0.htmode='HE40'\ncommit wireless\n");
    expect(plan.reloads).toEqual(['wifi reload']);
    expect(plan.previews[0]?.unified).toContain("-\toption htmode 'HE20'");
  });

  it('refuses a radio the router does not have', () => {
    const result = planRemedy(
      { kind: 'router-wifi-width', end: 'router', radio: 'radio7', htmode: 'HE80' },
      router,
      true,
    );
    expect(result.kind).toBe('error');
    if (result.kind === 'error') {
      expect(result.message).toContain('radio7');
      expect(result.zh.message).toContain('radio7');
      expectChineseFor(result.message, result.zh.message, 'message');
    }
  });
});

describe('validateRemedy', () => {
  it('names the field and the fix for bad values', () => {
    expect(validateRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 9000 })[0]?.field).toBe(
      'remedy.mtu',
    );
    expect(validateRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1370.5 })[0]?.field).toBe(
      'remedy.mtu',
    );
    const wifi = validateRemedy({
      kind: 'router-wifi-width',
      end: 'router',
      radio: "radio0'; reboot",
      htmode: 'HE81',
    });
    expect(wifi.map((e) => e.field)).toEqual(['remedy.radio', 'remedy.htmode']);
    expect(validateRemedy({ kind: 'reboot' })[0]?.field).toBe('remedy.kind');
    expect(validateRemedy(null)[0]?.field).toBe('remedy');
    expect(validateRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 })).toEqual([]);
  });

  it('says each problem in Chinese too, with the same numbers', () => {
    const errors = [
      ...validateRemedy({ kind: 'home-dhcp-mtu', end: 'router', mtu: 1370 }),
      ...validateRemedy({ kind: 'home-dhcp-mtu', end: 'home', mtu: 9000 }),
      ...validateRemedy({ kind: 'router-wifi-width', end: 'home', radio: '', htmode: 'HE81' }),
      ...validateRemedy({ kind: 'reboot' }),
      ...validateRemedy(undefined),
    ];
    expect(errors).toHaveLength(7);
    for (const e of errors) {
      const zh = e.localized?.['zh-CN'];
      expect(zh, e.field).toBeDefined();
      expectChineseFor(e.message, zh?.message, `${e.field} message`);
      expectChineseFor(e.fix, zh?.fix, `${e.field} fix`);
    }
  });
});
