package io.qgate.crypto.kem;

import io.qgate.crypto.InvalidPublicKeyException;
import static io.qgate.crypto.vectors.VectorFiles.hex;

import com.fasterxml.jackson.databind.JsonNode;
import io.qgate.crypto.vectors.VectorFiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link X25519} against Wycheproof's x25519_test.json on the JDK: valid vectors must give the
 * expected secret; acceptable ones (twist points, non-canonical and low-order keys) either give
 * it or, for an all-zero secret, are rejected by qgate's RFC 7748 §6.1 check.
 */
class X25519VectorTest {
    @TestFactory
    List<DynamicNode> wycheproofX25519() {
        String file = "wycheproof/x25519_test.json";
        VectorTally tally = new VectorTally(file, "jdk");
        List<DynamicNode> tests = new ArrayList<>();
        for (JsonNode group : VectorFiles.read(file).get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                byte[] priv = hex(t.get("private"));
                byte[] pub = hex(t.get("public"));
                tests.add(tally.test("tcId " + t.get("tcId").asInt(), VectorTally.expect(t.get("result").asText()),
                    hex(t.get("shared")), InvalidPublicKeyException.class, () -> MlKemVectorTest.secret(X25519.agree(priv, pub))));
            }
        }
        tests.add(tally.summary());
        return tests;
    }
}
