package io.qgate.perf;

/**
 * Puts {@link Side}'s inner IPv4 and IPv6 addresses on an interface in its namespace and brings it
 * up. IPv6 duplicate address detection is skipped ({@code nodad}): the address would otherwise be
 * unusable for about a second, and nothing else is on these links.
 */
final class InnerAddresses {
    private InnerAddresses() {
    }

    static void assign(NamespacePair pair, Side side, String device) {
        pair.ipIn(side, "put " + side.innerAddress4() + " on " + device, "addr", "add",
            side.innerAddress4() + "/" + Side.INNER4_PREFIX, "dev", device);
        pair.ipIn(side, "put " + side.innerAddress6() + " on " + device, "-6", "addr", "add",
            side.innerAddress6() + "/" + Side.INNER6_PREFIX, "dev", device, "nodad");
        pair.ipIn(side, "bring up " + device, "link", "set", device, "up");
    }
}
