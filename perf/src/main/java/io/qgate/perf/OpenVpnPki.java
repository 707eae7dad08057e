package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A throwaway PKI for the OpenVPN tunnel, made with the {@code openssl} command line: a
 * self-signed CA and one certificate per side (P-256 keys, valid two days), with the extended
 * key usages {@code --remote-cert-tls} checks (serverAuth for B, clientAuth for A).
 */
public final class OpenVpnPki {
    static final String CA_CERT = "ca.crt";
    private static final String CA_KEY = "ca.key";
    private static final String DAYS = "2";

    private OpenVpnPki() {
    }

    static String cert(Side side) {
        return "gw-" + side.suffix() + ".crt";
    }

    static String key(Side side) {
        return "gw-" + side.suffix() + ".key";
    }

    /** The extension file for {@code side}'s certificate: B serves TLS, A is its client. */
    static String extensions(Side side) {
        return "basicConstraints = CA:FALSE\n"
            + "keyUsage = digitalSignature, keyAgreement\n"
            + "extendedKeyUsage = " + (side == Side.B ? "serverAuth" : "clientAuth") + "\n";
    }

    /** The openssl command lines, in order, that {@link #create} runs in {@code dir}. */
    static List<List<String>> commands(Path dir) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", dir.resolve(CA_KEY).toString(), "-out", dir.resolve(CA_CERT).toString(),
            "-days", DAYS, "-subj", "/CN=qgb-openvpn-ca"));
        for (Side side : Side.values()) {
            Path csr = dir.resolve("gw-" + side.suffix() + ".csr");
            lines.add(List.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve(key(side)).toString(), "-out", csr.toString(), "-subj", "/CN=gw-" + side.suffix()));
            lines.add(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(CA_CERT).toString(),
                "-CAkey", dir.resolve(CA_KEY).toString(), "-set_serial", side == Side.A ? "1" : "2", "-days", DAYS,
                "-extfile", dir.resolve("gw-" + side.suffix() + ".ext").toString(), "-out", dir.resolve(cert(side)).toString()));
        }
        return lines;
    }

    /**
     * Creates the CA and both sides' keys and certificates in {@code dir}.
     *
     * @throws BenchException naming the openssl step that failed
     */
    public static void create(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Side side : Side.values()) {
                Files.writeString(dir.resolve("gw-" + side.suffix() + ".ext"), extensions(side));
            }
        } catch (IOException e) {
            throw new BenchException("cannot write the OpenVPN PKI to " + dir + ": " + e.getMessage(), e);
        }
        for (List<String> line : commands(dir)) {
            ExternalCommand.run(ExternalCommand.SHORT, Map.of(), line).orThrow("make the OpenVPN PKI with openssl");
        }
    }
}
