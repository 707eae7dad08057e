package io.qgate.engine.cli;

import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.trust.Armour;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.RevocationList;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qgate cert revoke --ca DIR SERIAL|CERTFILE...}: adds serials to the root's revocation list
 * ({@code DIR/NAME.crl}, armoured as {@code QGATE REVOCATION LIST}), creating it if missing,
 * and re-signs it with the next sequence number so that it supersedes the copy gateways hold
 * (section 3.2 of {@code docs/PROTOCOL.md}). Earlier serials stay. With no serial it only
 * re-signs the list with a new expiry (a list past its {@code next_update} makes gateways refuse
 * every certificate of the root).
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = {"Revoke certificates: add them to the root's revocation list and re-sign it.",
        "The list is DIR/NAME.crl, created if missing; each change gets the next sequence number, so it"
            + " supersedes the copies gateways hold. Without SERIAL|CERTFILE it only renews the list's expiry."},
    footer = {"", "Example:", "  qgate cert revoke --ca /etc/qgate/pki /etc/qgate/pki/gw-b.crt",
        "  qgate cert revoke --ca pki 3f2a9c0d1e4b5a697887766554433221 --days 30",
        "  qgate cert revoke --ca /etc/qgate/pki     # renew the expiry only"})
final class CertRevokeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin
    RootFiles ca;
    @Option(names = "--days", defaultValue = "90",
        description = "the list expires after this many days; renew it before (default: ${DEFAULT-VALUE})")
    int days;
    @Parameters(paramLabel = "SERIAL|CERTFILE", arity = "0..*",
        description = "a certificate file, or a serial in hex as 'qgate cert show' prints it")
    List<String> targets = List.of();

    @Override
    public Integer call() throws Exception {
        KeyFiles.checkDays(days);
        Certificate root = KeyFiles.readCertificate(ca.certificate());
        List<byte[]> serials = new ArrayList<>();
        for (String target : targets) {
            serials.add(serial(target, root));
        }
        Path listFile = ca.revocationList();
        RevocationList previous = Files.exists(listFile) ? previous(listFile, root) : null;
        long now = System.currentTimeMillis() / 1000;
        RevocationList list;
        try (SigningIdentity rootKey = KeyFiles.readPrivateKey(ca.privateKey())) {
            list = CertificateAuthority.of(root, rootKey).supersede(previous, serials, now, now + days * 86_400L);
        }
        write(listFile, Armour.encode(Armour.REVOCATION_LIST, list.encoded()));
        int added = list.count() - (previous == null ? 0 : previous.count());
        spec.commandLine().getOut().println("qgate: " + listFile + " now lists " + list.count() + " revoked serial"
            + (list.count() == 1 ? "" : "s") + " (" + added + " new), sequence " + list.sequence() + ", valid until "
            + CertShowCommand.time(list.nextUpdate()) + ": copy it to every gateway that trusts '" + root.subject() + "'");
        return 0;
    }

    /** The serial a command-line argument names: a certificate of this root, or 32 hex digits (colons allowed). */
    static byte[] serial(String target, Certificate root) {
        Path path = Path.of(target);
        if (Files.isRegularFile(path)) {
            Certificate certificate = KeyFiles.readCertificate(path);
            if (!Arrays.equals(certificate.issuerKeyId(), root.keyId())) {
                throw new IllegalArgumentException(path + " was not issued by the root '" + root.subject()
                    + "': revoke it with the root that issued it (see 'qgate cert show " + path + "')");
            }
            return certificate.serial();
        }
        String hex = target.replace(":", "");
        if (hex.length() == 2 * Certificate.SERIAL_LENGTH && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(hex);
        }
        throw new IllegalArgumentException("'" + target + "' is neither a certificate file nor a serial of "
            + 2 * Certificate.SERIAL_LENGTH + " hex digits: pass the file, or the serial that 'qgate cert show' prints");
    }

    /** The root's current list, its signature checked, so that re-signing never launders an altered file. */
    private static RevocationList previous(Path listFile, Certificate root) {
        RevocationList previous = KeyFiles.readRevocationList(listFile);
        try {
            new TrustStore(List.of(root)).install(previous);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(listFile + " cannot be extended: " + e.getMessage()
                + "; restore it from a backup, or move it away to start a new list");
        }
        return previous;
    }

    /** Replaces {@code file} atomically: a reader sees the old list or the new one, never a part. */
    private static void write(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
