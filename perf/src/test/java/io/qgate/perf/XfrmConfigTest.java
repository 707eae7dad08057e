package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class XfrmConfigTest {
    private static byte[] filled(int value) {
        byte[] key = new byte[XfrmConfig.KEY_BYTES];
        Arrays.fill(key, (byte) value);
        return key;
    }

    @Test
    void bothSidesHoldTheSameTwoSasWithAes256GcmKeyAndSalt() {
        XfrmConfig config = new XfrmConfig(filled(0x11), filled(0x22));
        String keyAB = "0x" + "11".repeat(36);
        List<String> expected = List.of("xfrm", "state", "add", "src", "192.168.241.1", "dst", "192.168.241.2",
            "proto", "esp", "spi", "0x0000a0b0", "reqid", "1", "mode", "tunnel", "aead", "rfc4106(gcm(aes))", keyAB, "128");
        assertEquals(expected, config.commands(Side.A, "veth-a").get(0));
        assertEquals(expected, config.commands(Side.B, "veth-b").get(0));
        assertTrue(config.commands(Side.B, "veth-b").get(1).containsAll(List.of("src", "192.168.241.2", "0x" + "22".repeat(36))));
    }

    @Test
    void sideBSendsThroughTheBToASaAndReceivesThroughTheAToBSa() {
        List<List<String>> b = new XfrmConfig(filled(1), filled(2)).commands(Side.B, "veth-b");
        assertEquals(List.of("xfrm", "policy", "add", "src", "10.241.0.2/32", "dst", "10.241.0.1/32", "dir", "out",
            "tmpl", "src", "192.168.241.2", "dst", "192.168.241.1", "proto", "esp", "reqid", "2", "mode", "tunnel"), b.get(2));
        assertEquals(List.of("xfrm", "policy", "add", "src", "10.241.0.1/32", "dst", "10.241.0.2/32", "dir", "in",
            "tmpl", "src", "192.168.241.1", "dst", "192.168.241.2", "proto", "esp", "reqid", "1", "mode", "tunnel"), b.get(3));
        assertEquals(List.of("addr", "add", "10.241.0.2/32", "dev", "veth-b"), b.get(4));
        assertEquals(List.of("route", "add", "10.241.0.1/32", "dev", "veth-b", "src", "10.241.0.2", "mtu", "1420"), b.get(5));
    }

    @Test
    void rejectsAKeyWithoutItsSalt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new XfrmConfig(new byte[32], filled(0)));
        assertEquals("an rfc4106(gcm(aes)) key for AES-256 is 36 bytes (key and salt).", e.getMessage());
    }

    @Test
    void aKernelWithoutGcmIsNamedInOneSentence() {
        String why = IpsecTunnel.unavailableReason(new ExternalCommand.Result(List.of("ip"), 2, "",
            "Error: Requested AEAD algorithm not found.\n"));
        assertEquals("this kernel cannot make an ESP SA with rfc4106(gcm(aes)) (ip xfrm said \"Error: Requested AEAD"
            + " algorithm not found.\"), so it lacks ESP or GCM (CONFIG_INET_ESP, CONFIG_CRYPTO_GCM) and kernel IPsec"
            + " cannot be measured here.", why);
        assertEquals(null, IpsecTunnel.unavailableReason(new ExternalCommand.Result(List.of("ip"), 0, "", "")));
    }
}
