import { ladderFromUnderlay, tracePacket } from '../../shared/packet-math';
import type { OuterIp, PacketKind } from '../../shared/packet-math';

export type PacketPreset = 'seed' | 'option-26' | 'black-hole';

const clamp = (value: number, min: number, max: number) =>
  Math.min(max, Math.max(min, Number.isFinite(value) ? Math.round(value) : min));

/** The packet-anatomy screen's inputs; the arithmetic is shared/packet-math. */
export class PacketState {
  payloadBytes = $state(2000);
  kind = $state<PacketKind>('icmp');
  clientMtu = $state(1500);
  l2Mtu = $state(1500);
  underlayMtu = $state(1500);
  outer = $state<OuterIp>('ipv4');

  readonly ladder = $derived(ladderFromUnderlay(clamp(this.underlayMtu, 1280, 9000)));
  readonly trace = $derived(
    tracePacket(clamp(this.payloadBytes, 0, 65_000), this.kind, {
      clientMtu: clamp(this.clientMtu, 576, 9000),
      l2Mtu: clamp(this.l2Mtu, 576, 9000),
      wireguardMtu: this.ladder.wireguard,
      underlayMtu: clamp(this.underlayMtu, 1280, 9000),
      outer: this.outer,
    }),
  );

  preset(name: PacketPreset): void {
    this.underlayMtu = 1500;
    const l2 = ladderFromUnderlay(1500).l2;
    switch (name) {
      case 'seed':
        this.clientMtu = 1500;
        this.l2Mtu = 1500;
        break;
      case 'option-26':
        this.clientMtu = l2;
        this.l2Mtu = l2;
        break;
      case 'black-hole':
        this.clientMtu = 1500;
        this.l2Mtu = l2;
        break;
    }
  }
}
