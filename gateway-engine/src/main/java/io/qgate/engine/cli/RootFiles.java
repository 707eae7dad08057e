package io.qgate.engine.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --ca DIR} and {@code --ca-name NAME} options (a picocli mixin) that name a root's
 * files: {@code DIR/NAME.crt}, {@code DIR/NAME.key} and its revocation list {@code DIR/NAME.crl}.
 */
final class RootFiles {
    @Option(names = "--ca", paramLabel = "DIR", required = true, description = "the folder holding the root's files")
    Path folder;
    @Option(names = "--ca-name", paramLabel = "NAME", defaultValue = "root", description = "the root's file name stem (default: ${DEFAULT-VALUE})")
    String name;

    Path certificate() {
        return folder.resolve(name + ".crt");
    }

    Path privateKey() {
        return folder.resolve(name + ".key");
    }

    /** The root's revocation list, armoured as {@code QGATE REVOCATION LIST}. */
    Path revocationList() {
        return folder.resolve(name + ".crl");
    }
}
