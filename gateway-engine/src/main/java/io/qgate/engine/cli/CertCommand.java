package io.qgate.engine.cli;

import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Armour;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.SigningIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qgate cert issue | show | revoke}: certificates signed by a root, and the root's revocation list. */
@Command(name = "cert", description = "Issue, inspect and revoke certificates.",
    subcommands = {CertCommand.Issue.class, CertShowCommand.class, CertRevokeCommand.class}, mixinStandardHelpOptions = true,
    footer = {"", "Example:", "  qgate cert issue --ca /etc/qgate/pki --subject gw-a", "  qgate cert show /etc/qgate/pki/gw-a.crt",
        "  qgate cert revoke --ca /etc/qgate/pki /etc/qgate/pki/gw-a.crt"})
public final class CertCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Writes {@code OUT/<subject>.crt} and, unless {@code --key} names an existing key,
     * {@code OUT/<subject>.key} (mode 0600).
     */
    @Command(name = "issue", description = {"Issue a certificate signed by the root.",
        "Writes OUT/<subject>.crt and a new key OUT/<subject>.key (mode 0600); with --key it certifies an existing"
            + " key (from 'qgate keygen') and writes the certificate only."},
        mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate cert issue --ca /etc/qgate/pki --subject gw-a",
            "  qgate cert issue --ca pki --subject alice --role client --key alice.key"})
    static final class Issue implements Callable<Integer> {
        private static final String DEFAULT_ALGORITHM = "ml-dsa-65";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        RootFiles ca;
        @Option(names = "--subject", required = true, description = "the certificate's subject, e.g. gw-a")
        String subject;
        @Option(names = "--role", defaultValue = "gateway", description = "gateway or client (default: ${DEFAULT-VALUE})")
        String role;
        @Option(names = "--out", description = "the folder to write into (default: the --ca folder)")
        Path out;
        @Option(names = "--days", defaultValue = "365", description = "validity in days (default: ${DEFAULT-VALUE})")
        int days;
        @Option(names = "--algorithm", description = "the new key's algorithm (default: " + DEFAULT_ALGORITHM + ")")
        String algorithm;
        @Option(names = "--key", paramLabel = "FILE", description = "certify this existing private key instead of creating one")
        Path key;
        @Option(names = "--force", description = "overwrite existing files")
        boolean force;

        @Override
        public Integer call() throws Exception {
            Path folder = out == null ? ca.folder : out;
            Path certificatePath = folder.resolve(subject + ".crt");
            Path keyPath = key == null ? folder.resolve(subject + ".key") : key;
            if (!Certificate.isValidSubject(subject)) {
                throw new IllegalArgumentException("'" + subject + "' is not a valid subject: use 1 to "
                    + Certificate.MAX_SUBJECT_LENGTH + " printable characters");
            }
            if (key == null) {
                KeyFiles.refuseOverwrite(force, certificatePath, keyPath);
            } else {
                KeyFiles.refuseOverwrite(force, certificatePath);
            }
            CertificateRole certificateRole = switch (role.toLowerCase(Locale.ROOT)) {
                case "gateway" -> CertificateRole.GATEWAY;
                case "client" -> CertificateRole.CLIENT;
                default -> throw new IllegalArgumentException("--role must be gateway or client, not '" + role + "'");
            };
            KeyFiles.checkDays(days);
            Certificate root = KeyFiles.readCertificate(ca.certificate());
            long now = System.currentTimeMillis() / 1000;
            try (SigningIdentity rootKey = KeyFiles.readPrivateKey(ca.privateKey());
                 SigningIdentity identity = key == null
                     ? SigningIdentity.generate(KeyFiles.algorithm(algorithm == null ? DEFAULT_ALGORITHM : algorithm), new SecureRandom())
                     : KeyFiles.readPrivateKey(key)) {
                if (algorithm != null && identity.algorithm() != KeyFiles.algorithm(algorithm)) {
                    throw new IllegalArgumentException(key + " holds an " + identity.algorithm().id() + " key, not " + algorithm
                        + ": leave out --algorithm, which only chooses the algorithm of a new key");
                }
                CertificateAuthority authority = CertificateAuthority.of(root, rootKey);
                Certificate certificate = authority.issue(certificateRole, subject, identity.publicKey(), identity.algorithm(),
                    Suite.VALID_MASK, now - 3600, now + days * 86_400L);
                Files.createDirectories(folder);
                if (key == null) {
                    KeyFiles.writePrivateKey(keyPath, identity, force);
                }
                Files.writeString(certificatePath, Armour.encode(Armour.CERTIFICATE, certificate.encoded()));
            }
            spec.commandLine().getOut().println("qgate: " + role + " certificate '" + subject + "' written to " + certificatePath
                + (key == null ? " (private key " + keyPath + ", mode 0600)" : " (for the private key " + keyPath + ")"));
            return 0;
        }
    }
}
