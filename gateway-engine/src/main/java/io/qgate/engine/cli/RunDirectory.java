package io.qgate.engine.cli;

import io.qgate.engine.config.GatewayConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --run-directory} option of every command that finds a running gateway by its files
 * there ({@code <interface>.pid}, {@code .ctl}, {@code .counters}), as a picocli mixin, and how
 * those files are named.
 */
final class RunDirectory {
    @Option(names = "--run-directory", defaultValue = "/run/qgate", description = "where 'up' keeps its files (default: ${DEFAULT-VALUE})")
    Path path;

    /**
     * {@code <run-directory>/<name><suffix>}.
     *
     * @throws IllegalArgumentException if {@code name} cannot be an interface name (so it cannot
     *     reach outside the folder either)
     */
    Path file(String name, String suffix) {
        if (!GatewayConfig.isInterfaceName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not an interface name: use 1 to "
                + GatewayConfig.MAX_INTERFACE_NAME + " letters, digits, '.', '_' or '-'");
        }
        return path.resolve(name + suffix);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
