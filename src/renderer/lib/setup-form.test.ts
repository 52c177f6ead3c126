import { describe, expect, it } from 'vitest';
import { defaultSetupForm, intentOf, mtuLadderView, stepOfField } from './setup-form';

describe('setup form', () => {
  it('builds the intent, leaving empty optional fields out', () => {
    const form = defaultSetupForm();
    form.endpointHost = ' op1.example.net ';
    form.homeLan = '';
    form.presharedKey = '  ';
    const intent = intentOf(form);
    expect(intent.home.endpointHost).toBe('op1.example.net');
    expect(intent.home).not.toHaveProperty('lanCidr');
    expect(intent).not.toHaveProperty('presharedKey');
    expect(intent.vxlan).toEqual({ vid: 8, port: 4789 });
  });
  it('turns an emptied number input into NaN so the core names the field', () => {
    const form = defaultSetupForm();
    (form as { vid: number | null }).vid = null;
    expect(intentOf(form).vxlan.vid).toBeNaN();
  });
  it('maps every field to the step that edits it', () => {
    expect(stepOfField('home.publicKey')).toBe('home');
    expect(stepOfField('travel.privateKey')).toBe('home');
    expect(stepOfField('presharedKey')).toBe('home');
    expect(stepOfField('vxlan.vid')).toBe('bridge');
    expect(stepOfField('underlayMtu')).toBe('bridge');
    expect(stepOfField('wifi.l2.password')).toBe('wifi');
    expect(stepOfField('travel.lanCidr')).toBe('wifi');
  });
  it('draws the seed ladder: 1500 -> 1420 -> 1370, or 1500 on the bridge with fragmentation', () => {
    expect(mtuLadderView(1500, 'dhcp-option-26')).toEqual({
      underlay: 1500,
      wireguard: 1420,
      vxlanFits: 1370,
      l2: 1370,
      fragments: false,
    });
    expect(mtuLadderView(1500, 'vxlan-1500-fragment')).toMatchObject({ l2: 1500, fragments: true });
  });
});
