package io.qgate.engine.cli;

import io.qgate.engine.trust.Armour;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.SigningIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qgate cert issue}: a gateway or client key and its certificate, signed by a root. */
@Command(name = "cert", description = "Issue certificates.", subcommands = CertCommand.Issue.class, mixinStandardHelpOptions = true,
    footer = {"", "Example:", "  qgate cert issue --ca /etc/qgate/pki --subject gw-a"})
public final class CertCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Writes {@code OUT/<subject>.crt} and {@code OUT/<subject>.key} (mode 0600). */
    @Command(name = "issue", description = "Issue a key and certificate: writes OUT/<subject>.crt and OUT/<subject>.key (mode 0600).",
        mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate cert issue --ca /etc/qgate/pki --subject gw-a"})
    static final class Issue implements Callable<Integer> {
        @Option(names = "--ca", required = true, description = "the folder holding the root's files")
        Path ca;
        @Option(names = "--ca-name", defaultValue = "root", description = "the root's file name stem (default: ${DEFAULT-VALUE})")
        String caName;
        @Option(names = "--subject", required = true, description = "the certificate's subject, e.g. gw-a")
        String subject;
        @Option(names = "--role", defaultValue = "gateway", description = "gateway or client (default: ${DEFAULT-VALUE})")
        String role;
        @Option(names = "--out", description = "the folder to write into (default: the --ca folder)")
        Path out;
        @Option(names = "--days", defaultValue = "365", description = "validity in days (default: ${DEFAULT-VALUE})")
        int days;
        @Option(names = "--algorithm", defaultValue = "ml-dsa-65", description = "the key's algorithm (default: ${DEFAULT-VALUE})")
        String algorithm;
        @Option(names = "--force", description = "overwrite existing files")
        boolean force;

        @Override
        public Integer call() throws Exception {
            Path folder = out == null ? ca : out;
            Path certificatePath = folder.resolve(subject + ".crt");
            Path keyPath = folder.resolve(subject + ".key");
            if (!Certificate.isValidSubject(subject)) {
                throw new IllegalArgumentException("'" + subject + "' is not a valid subject: use 1 to "
                    + Certificate.MAX_SUBJECT_LENGTH + " printable characters");
            }
            KeyFiles.refuseOverwrite(force, certificatePath, keyPath);
            CertificateRole certificateRole = switch (role.toLowerCase(Locale.ROOT)) {
                case "gateway" -> CertificateRole.GATEWAY;
                case "client" -> CertificateRole.CLIENT;
                default -> throw new IllegalArgumentException("--role must be gateway or client, not '" + role + "'");
            };
            KeyFiles.checkDays(days);
            Certificate root = KeyFiles.readCertificate(ca.resolve(caName + ".crt"));
            long now = System.currentTimeMillis() / 1000;
            try (SigningIdentity rootKey = KeyFiles.readPrivateKey(ca.resolve(caName + ".key"));
                 SigningIdentity identity = SigningIdentity.generate(KeyFiles.algorithm(algorithm), new SecureRandom())) {
                CertificateAuthority authority = CertificateAuthority.of(root, rootKey);
                Certificate certificate = authority.issue(certificateRole, subject, identity.publicKey(), identity.algorithm(),
                    Suite.VALID_MASK, now - 3600, now + days * 86_400L);
                Files.createDirectories(folder);
                KeyFiles.writePrivateKey(keyPath, identity, force);
                Files.writeString(certificatePath, Armour.encode(Armour.CERTIFICATE, certificate.encoded()));
            }
            System.out.println("qgate: " + role + " certificate '" + subject + "' written to " + certificatePath
                + " (private key " + keyPath + ", mode 0600)");
            return 0;
        }
    }
}
