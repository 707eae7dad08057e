package io.qgate.engine.cli;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Armour;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.SigningIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qgate ca create}: a new root certificate and its private key. */
@Command(name = "ca", description = "Manage a root certificate authority.", subcommands = CaCommand.Create.class,
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate ca create --out /etc/qgate/pki"})
public final class CaCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Writes {@code DIR/root.crt} and {@code DIR/root.key} (mode 0600). */
    @Command(name = "create", description = "Create a root: writes DIR/<name>.crt and DIR/<name>.key (mode 0600).",
        mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate ca create --out /etc/qgate/pki"})
    static final class Create implements Callable<Integer> {
        @Option(names = "--subject", defaultValue = "root", description = "the root's subject (default: ${DEFAULT-VALUE})")
        String subject;
        @Option(names = "--out", required = true, description = "the folder to write into (created if missing)")
        Path out;
        @Option(names = "--name", defaultValue = "root", description = "the file name stem (default: ${DEFAULT-VALUE})")
        String name;
        @Option(names = "--days", defaultValue = "3650", description = "validity in days (default: ${DEFAULT-VALUE})")
        int days;
        @Option(names = "--algorithm", defaultValue = "ml-dsa-65", description = "ml-dsa-44, ml-dsa-65 or ml-dsa-87 (default: ${DEFAULT-VALUE})")
        String algorithm;
        @Option(names = "--force", description = "overwrite existing files")
        boolean force;

        @Override
        public Integer call() throws Exception {
            Path certificate = out.resolve(name + ".crt");
            Path key = out.resolve(name + ".key");
            KeyFiles.refuseOverwrite(force, certificate, key);
            KeyFiles.checkDays(days);
            SecureRandom random = new SecureRandom();
            long now = System.currentTimeMillis() / 1000;
            try (SigningIdentity identity = SigningIdentity.generate(KeyFiles.algorithm(algorithm), random)) {
                CertificateAuthority ca = CertificateAuthority.createRoot(subject, identity, Suite.VALID_MASK,
                    now - 3600, now + days * 86_400L, random);
                Files.createDirectories(out);
                KeyFiles.writePrivateKey(key, identity, force);
                Files.writeString(certificate, Armour.encode(Armour.CERTIFICATE, ca.root().encoded()));
            }
            System.out.println("qgate: root '" + subject + "' written to " + certificate + " (private key " + key + ", mode 0600)");
            return 0;
        }
    }

}
