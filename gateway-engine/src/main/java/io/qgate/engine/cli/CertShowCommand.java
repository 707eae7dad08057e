package io.qgate.engine.cli;

import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Armour;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.RevocationList;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qgate cert show FILE [--json]}: the fields of a certificate or a revocation list file,
 * times in UTC ISO-8601, and whether it has expired. Shows what the file says; it does not check
 * the signature (that needs the root: a gateway checks it when it loads the file).
 */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Print the fields of a certificate or revocation list file (times in UTC).",
    footer = {"", "Example:", "  qgate cert show /etc/qgate/pki/gw-a.crt", "  qgate cert show --json /etc/qgate/pki/root.crl"})
final class CertShowCommand implements Callable<Integer> {
    private static final HexFormat HEX = HexFormat.of();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "FILE", description = "a certificate (.crt) or revocation list (.crl) file")
    Path file;
    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Override
    public Integer call() {
        String text = KeyFiles.read(file);
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> fields;
        if (text.contains("-----BEGIN " + Armour.REVOCATION_LIST + "-----")) {
            fields = fields(KeyFiles.readRevocationList(file), now);
        } else if (text.contains("-----BEGIN " + Armour.PRIVATE_KEY + "-----")) {
            throw new IllegalArgumentException(file + " is a private key, not a certificate: show the certificate issued for it"
                + " (keep the key file to yourself)");
        } else {
            fields = fields(KeyFiles.readCertificate(file), now);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? toJson(fields) : toText(fields));
        out.flush();
        return 0;
    }

    /** A certificate's fields in display order; the JSON keys are the text labels with underscores. */
    static Map<String, Object> fields(Certificate certificate, long now) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", "certificate");
        fields.put("subject", certificate.subject());
        fields.put("role", certificate.role().toString());
        fields.put("serial", HEX.formatHex(certificate.serial()));
        fields.put("key id", HEX.formatHex(certificate.keyId()));
        fields.put("issuer key id", HEX.formatHex(certificate.issuerKeyId()));
        fields.put("algorithm", certificate.keyAlgorithm().id());
        fields.put("issuer algorithm", certificate.issuerAlgorithm().id());
        List<String> suites = new ArrayList<>();
        for (Suite suite : Suite.values()) {
            if (certificate.permits(suite)) {
                suites.add(suite.suiteName());
            }
        }
        fields.put("suites", suites);
        fields.put("not before", time(certificate.notBefore()));
        fields.put("not after", time(certificate.notAfter()));
        fields.put("not yet valid", now < certificate.notBefore());
        fields.put("expired", now >= certificate.notAfter());
        return fields;
    }

    /** A revocation list's fields in display order. */
    static Map<String, Object> fields(RevocationList list, long now) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", "revocation_list");
        fields.put("issuer key id", HEX.formatHex(list.issuerKeyId()));
        fields.put("issuer algorithm", list.issuerAlgorithm().id());
        fields.put("sequence", list.sequence());
        fields.put("this update", time(list.thisUpdate()));
        fields.put("next update", time(list.nextUpdate()));
        fields.put("expired", list.isExpiredAt(now));
        List<String> serials = new ArrayList<>(list.count());
        for (int i = 0; i < list.count(); i++) {
            serials.add(HEX.formatHex(list.serial(i)));
        }
        fields.put("serials", serials);
        return fields;
    }

    /** Unix seconds as UTC ISO-8601, e.g. {@code 2026-01-31T12:00:00Z}. */
    static String time(long unixSeconds) {
        try {
            return Instant.ofEpochSecond(unixSeconds).toString();
        } catch (DateTimeException beyondInstant) {
            return "+" + unixSeconds + "s"; // a u63 time past year 1,000,000,000: no calendar date
        }
    }

    private static String toText(Map<String, Object> fields) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            Object value = field.getValue();
            String shown = switch (value) {
                case Boolean b -> b ? "yes" : "no";
                case List<?> list when field.getKey().equals("serials") -> list.isEmpty() ? "none" : list.size() + listed(list);
                case List<?> list -> String.join(", ", list.stream().map(Object::toString).toList());
                default -> value.toString();
            };
            text.append(String.format("%-17s %s%n", field.getKey() + ":", shown));
        }
        return text.toString().stripTrailing();
    }

    private static String listed(List<?> serials) {
        StringBuilder lines = new StringBuilder();
        for (Object serial : serials) {
            lines.append(System.lineSeparator()).append("  ").append(serial);
        }
        return lines.toString();
    }

    /** The fields as one JSON object; keys have underscores for spaces. Values are strings, numbers, booleans or lists of strings. */
    static String toJson(Map<String, Object> fields) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(field.getKey().replace(' ', '_'))).append(':');
            switch (field.getValue()) {
                case Boolean b -> json.append(b);
                case Number n -> json.append(n);
                case List<?> list -> {
                    json.append('[');
                    for (int i = 0; i < list.size(); i++) {
                        json.append(i == 0 ? "" : ",").append(quote(list.get(i).toString()));
                    }
                    json.append(']');
                }
                default -> json.append(quote(field.getValue().toString()));
            }
        }
        return json.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder quoted = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
