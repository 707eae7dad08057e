package io.qgate.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.qgate.crypto.Backend;
import io.qgate.crypto.vectors.VectorFiles;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * NIST ACVP ML-DSA sigVer (FIPS 204) for ML-DSA-44/65/87: the pure external interface on every
 * backend, HashML-DSA and the internal interface (with and without external mu) through
 * {@link MlDsaMu} and {@link MlDsaInternal} on backends that expose mu.
 */
class MlDsaAcvpSigVerTest {
    private static final String FOLDER = "acvp/ML-DSA-sigVer-FIPS204/";
    private static final String FILE = FOLDER + "prompt.json";

    @TestFactory
    List<DynamicNode> sigVerMatchesExpectedResults() {
        JsonNode prompt = VectorFiles.read(FILE);
        Map<String, Boolean> expected = new HashMap<>();
        for (JsonNode g : VectorFiles.read(FOLDER + "expectedResults.json").get("testGroups")) {
            for (JsonNode t : g.get("tests")) {
                expected.put(g.get("tgId").asInt() + "/" + t.get("tcId").asInt(), t.get("testPassed").asBoolean());
            }
        }
        Set<Backend> backends = EnumSet.noneOf(Backend.class);
        for (SignatureAlgorithm a : List.of(SignatureAlgorithm.ML_DSA_44, SignatureAlgorithm.ML_DSA_65, SignatureAlgorithm.ML_DSA_87)) {
            backends.addAll(SignatureBackends.implementing(a));
        }
        List<DynamicNode> containers = new ArrayList<>();
        int vectors = 0;
        for (Backend backend : backends) {
            VectorTally tally = new VectorTally(FILE, backend);
            List<DynamicNode> tests = new ArrayList<>();
            vectors = 0;
            for (JsonNode group : prompt.get("testGroups")) {
                SignatureAlgorithm algorithm = SignatureAlgorithm.fromId(group.get("parameterSet").asText());
                for (JsonNode t : group.get("tests")) {
                    vectors++;
                    String key = group.get("tgId").asInt() + "/" + t.get("tcId").asInt();
                    Boolean passed = expected.get(key);
                    String reason = notApplicable(backend, group, t);
                    if (reason != null) {
                        tally.notApplicable(reason);
                        continue;
                    }
                    tally.planned();
                    tests.add(dynamicTest(FILE + " tgId " + group.get("tgId").asInt() + " tcId " + t.get("tcId").asInt()
                        + " " + algorithm.id() + " " + form(group) + " [" + backend.id() + "]", () -> {
                        SignatureScheme scheme = SignatureBackends.scheme(backend, algorithm);
                        tally.check(passed ? "valid" : "invalid", () -> verify(scheme, group, t),
                            ok -> assertTrue(ok, "a valid signature was rejected"));
                    }));
                }
            }
            int total = vectors;
            tests.add(dynamicTest(FILE + " [" + backend.id() + "] summary", () -> {
                assertEquals(total, expected.size(), "prompt and expected results list the same tests");
                tally.finish(() -> SignatureBackends.scheme(backend, SignatureAlgorithm.ML_DSA_65));
            }));
            containers.add(dynamicContainer(FILE + " [" + backend.id() + "]", tests));
        }
        return containers;
    }

    private static Boolean verify(SignatureScheme scheme, JsonNode group, JsonNode t) {
        byte[] pk = VectorFiles.hex(t.get("pk"));
        byte[] sig = VectorFiles.hex(t.get("signature"));
        if (group.get("signatureInterface").asText().equals("external")) {
            byte[] message = VectorFiles.hex(t.get("message"));
            byte[] context = VectorFiles.hex(t.get("context"));
            if (group.get("preHash").asText().equals("pure")) {
                return scheme.verify(pk, message, context, sig);
            }
            MlDsaMu.PreHash hash = MlDsaMu.PreHash.fromAcvpName(t.get("hashAlg").asText());
            return ((MlDsaInternal) scheme).verifyMu(pk, MlDsaMu.preHash(pk, message, context, hash), sig);
        }
        byte[] mu = group.get("externalMu").asBoolean()
            ? VectorFiles.hex(t.get("mu"))
            : MlDsaMu.internal(pk, VectorFiles.hex(t.get("message")));
        return ((MlDsaInternal) scheme).verifyMu(pk, mu, sig);
    }

    private static String form(JsonNode group) {
        if (group.get("signatureInterface").asText().equals("external")) {
            return "external " + group.get("preHash").asText();
        }
        return group.get("externalMu").asBoolean() ? "internal external-mu" : "internal";
    }

    private static String notApplicable(Backend backend, JsonNode group, JsonNode t) {
        boolean external = group.get("signatureInterface").asText().equals("external");
        boolean pure = external && group.get("preHash").asText().equals("pure");
        boolean exposesMu = backend == Backend.BOUNCY_CASTLE;
        if (!pure && !exposesMu) {
            return external ? "HashML-DSA needs external mu, which " + backend.id() + " lacks"
                : "internal interface needs external mu, which " + backend.id() + " lacks";
        }
        if (pure && backend == Backend.JDK && VectorFiles.hex(t.get("context")).length > 0) {
            return "no context strings on the JDK";
        }
        return null;
    }
}
