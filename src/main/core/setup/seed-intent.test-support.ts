import type { SetupIntent } from '../../../shared/setup';

/** The seed's own setup as an intent (keys are well-formed samples, not real ones). */
export const seedIntent: SetupIntent = {
  home: {
    endpointHost: 'op1.example.net',
    endpointPort: 51820,
    tunnelAddress: '10.0.31.1/24',
    publicKey: 'eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlE=',
    name: 'op1',
    lanCidr: '192.168.35.0/24',
  },
  travel: {
    tunnelAddress: '10.0.31.103/32',
    privateKey: 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=',
    publicKey: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=',
    name: 'JCG_Q30P',
    lanCidr: '192.168.8.0/24',
  },
  keepaliveS: 25,
  vxlan: { vid: 8, port: 4789 },
  underlayMtu: 1500,
  wifi: {
    l3: {
      ssid: 'JCG-travel',
      password: 'correct horse',
      band: '5g',
      widthMhz: 80,
      encryption: 'sae-mixed',
    },
    l2: {
      ssid: 'JCG-home',
      password: 'battery staple',
      band: '5g',
      widthMhz: 80,
      encryption: 'sae-mixed',
    },
  },
  l3Nat: true,
  routeHomeLan: false,
  l2MtuStrategy: 'dhcp-option-26',
};
