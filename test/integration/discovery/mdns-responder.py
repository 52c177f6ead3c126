# An independent mDNS responder (python-zeroconf, Debian python3-zeroconf) announcing SSH and HTTP
# the way OpenWrt's umdns does for dropbear and uhttpd. Runs inside a lab namespace only.
# usage: /usr/bin/python3 mdns-responder.py ADDRESS HOSTNAME INSTANCE
import signal
import socket
import sys

from zeroconf import IPVersion, ServiceInfo, Zeroconf

address, hostname, instance = sys.argv[1:4]
zc = Zeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
infos = [
    ServiceInfo(
        f"_{service}._tcp.local.",
        f"{instance}._{service}._tcp.local.",
        addresses=[socket.inet_aton(address)],
        port=port,
        properties={"daemon": daemon},
        server=f"{hostname}.local.",
    )
    for service, port, daemon in (("ssh", 22, "dropbear"), ("http", 80, "uhttpd"))
]
for info in infos:
    zc.register_service(info)
print("ready", flush=True)


def stop(*_):
    for info in infos:
        zc.unregister_service(info)
    zc.close()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.pause()
