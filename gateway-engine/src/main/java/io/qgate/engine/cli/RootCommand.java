package io.qgate.engine.cli;

import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Armour;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.SigningIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qgate root init}: a new root certificate and its private key. {@code qgate ca create},
 * the earlier name, is the same command (aliases), so scripts that use it keep working.
 */
@Command(name = "root", aliases = "ca", description = "Manage a root certificate authority.", subcommands = RootCommand.Init.class,
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate root init --out /etc/qgate/pki"})
public final class RootCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Writes {@code DIR/root.crt} and {@code DIR/root.key} (mode 0600). */
    @Command(name = "init", aliases = "create", description = "Create a root: writes DIR/<name>.crt and DIR/<name>.key (mode 0600).",
        mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate root init --out /etc/qgate/pki",
            "  qgate root init --out pki --subject example-root --days 7300"})
    static final class Init implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
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
            spec.commandLine().getOut().println("qgate: root '" + subject + "' written to " + certificate
                + " (private key " + key + ", mode 0600)");
            return 0;
        }
    }
}
