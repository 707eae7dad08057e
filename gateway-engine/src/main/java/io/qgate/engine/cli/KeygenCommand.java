package io.qgate.engine.cli;

import io.qgate.crypto.kdf.Sha3;
import io.qgate.engine.trust.SigningIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qgate keygen FILE}: a private signing key alone (mode 0600), made where it will be used,
 * so that only its certificate travels: {@code qgate cert issue --key FILE} certifies it.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {"Create a private key file (mode 0600) to certify with 'cert issue --key'.",
        "Only the certificate then has to travel: the key never leaves the machine it was made on."},
    footer = {"", "Example:", "  qgate keygen /etc/qgate/gw-a.key",
        "  qgate cert issue --ca pki --subject gw-a --key /etc/qgate/gw-a.key"})
final class KeygenCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "FILE", description = "the private key file to create")
    Path file;
    @Option(names = "--algorithm", defaultValue = "ml-dsa-65", description = "ml-dsa-44, ml-dsa-65 or ml-dsa-87 (default: ${DEFAULT-VALUE})")
    String algorithm;
    @Option(names = "--force", description = "replace an existing file")
    boolean force;

    @Override
    public Integer call() throws Exception {
        KeyFiles.refuseOverwrite(force, file);
        try (SigningIdentity identity = SigningIdentity.generate(KeyFiles.algorithm(algorithm), new SecureRandom())) {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            KeyFiles.writePrivateKey(file, identity, force);
            spec.commandLine().getOut().println("qgate: " + identity.algorithm().id() + " private key written to " + file
                + " (mode 0600), key id " + HexFormat.of().formatHex(Sha3.sha3_256(identity.publicKey())));
        }
        return 0;
    }
}
