package io.qgate.engine.cli;

import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.aead.Aeads;
import io.qgate.crypto.kem.KemAlgorithm;
import io.qgate.crypto.kem.Kems;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.crypto.sig.SignatureSchemes;
import io.qgate.engine.diagnostics.CryptoSelfCheck;
import io.qgate.engine.diagnostics.CryptoSelfCheck.Result;
import io.qgate.engine.diagnostics.CryptoSelfCheck.Status;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code qgate selfcheck}: runs every algorithm on every crypto backend and prints what works
 * here. Exits 1 if any available backend fails a check; an absent optional backend (liboqs)
 * is reported, not failed.
 */
@Command(name = "selfcheck", mixinStandardHelpOptions = true,
    description = "Exercise every cryptographic algorithm on every backend and print what was found.",
    footer = {"", "Example:", "  qgate selfcheck", "  qgate selfcheck --verbose   # also the reason each absent backend is absent"})
final class SelfCheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean verbose = QgateCommand.verbose(spec); // the global option: full reasons for unavailable backends
        PrintWriter out = spec.commandLine().getOut();
        for (String line : new VersionCommand.Provider().getVersion()) {
            out.println(line);
        }
        out.println("default backends: aes-256-gcm " + Aeads.defaultBackend(AeadAlgorithm.AES_256_GCM).id()
            + ", chacha20-poly1305 " + Aeads.defaultBackend(AeadAlgorithm.CHACHA20_POLY1305).id()
            + ", ml-kem " + Kems.defaultBackend(KemAlgorithm.ML_KEM_768).id()
            + ", x-wing " + Kems.defaultBackend(KemAlgorithm.X25519_ML_KEM_768).id()
            + ", ml-dsa " + SignatureSchemes.defaultBackend(SignatureAlgorithm.ML_DSA_65).id()
            + ", slh-dsa and falcon " + SignatureSchemes.defaultBackend(SignatureAlgorithm.FALCON_512).id());
        out.println("aes-256-gcm on jdk: " + Aeads.jdkAesGcm());
        out.println("ml-dsa signing on jdk: " + SignatureSchemes.jdkMlDsaSigning());
        out.println();

        List<Result> results = new java.util.ArrayList<>(new CryptoSelfCheck().run());
        results.addAll(new io.qgate.engine.diagnostics.ProtocolSelfCheck().run());
        String format = "%-13s %-38s %-13s %-11s %8s  %s%n";
        out.printf(format, "family", "algorithm", "backend", "result", "time", "detail");
        java.util.Set<String> explained = new java.util.HashSet<>();
        for (Result r : results) {
            String detail = r.detail();
            if (r.status() == Status.UNAVAILABLE && !verbose) {
                detail = explained.add(detail) ? firstClause(detail) : "(" + r.backend().id() + " not installed, as above)";
            }
            out.printf(format, r.family(), r.algorithm(), r.backend().id(), r.status().name().toLowerCase(),
                r.status() == Status.UNAVAILABLE ? "-" : millis(r.micros()), detail);
        }
        long ok = results.stream().filter(r -> r.status() == Status.OK).count();
        long failed = results.stream().filter(r -> r.status() == Status.FAILED).count();
        long unavailable = results.size() - ok - failed;
        out.println();
        out.printf("selfcheck: %d ok, %d failed, %d unavailable here%n", ok, failed, unavailable);
        if (unavailable > 0 && !verbose) {
            out.println("(qgate selfcheck --verbose shows how to install what is unavailable)");
        }
        out.flush();
        return failed == 0 ? 0 : UserErrorHandler.EXIT_FAILED;
    }

    private static String millis(long micros) {
        return String.format("%.1f ms", micros / 1000.0);
    }

    /** The cause without the install instructions, which {@code --verbose} shows. */
    private static String firstClause(String reason) {
        int colon = reason.lastIndexOf(": ");
        return colon > 0 ? reason.substring(0, colon) : reason;
    }
}
