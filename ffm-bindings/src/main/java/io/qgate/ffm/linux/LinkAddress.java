package io.qgate.ffm.linux;

import java.net.InetAddress;

/**
 * An address configured on a network interface, as an {@code RTM_GETADDR} dump reports it.
 *
 * @param index the interface index
 * @param address the interface's own address ({@code IFA_LOCAL}, or {@code IFA_ADDRESS} where
 *     there is no local one, as for IPv6)
 * @param prefixLength the prefix length of the subnet on the link
 * @param flags the {@code IFA_F_*} flags (linux/if_addr.h), such as {@link Rtnetlink#IFA_F_NODAD}
 */
public record LinkAddress(int index, InetAddress address, int prefixLength, int flags) {
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
