package io.qgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * packaging/kubernetes/qgate-daemonset.yaml parses as YAML and asks for no more than the gateway
 * needs. Nothing here runs it on a cluster.
 */
class DaemonSetManifestTest {
    static final Path MANIFEST = Command.root().resolve("packaging/kubernetes/qgate-daemonset.yaml");

    @Test
    void containerAddsOnlyNetAdminAndIsNotPrivileged() throws Exception {
        Map<String, Object> security = map(container(), "securityContext");
        Map<String, Object> capabilities = map(security, "capabilities");
        assertEquals(List.of("NET_ADMIN"), capabilities.get("add"));
        assertEquals(List.of("ALL"), capabilities.get("drop"));
        assertNotEquals(Boolean.TRUE, security.get("privileged"), "privileged: true");
        assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"));
        assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"));
        // No other container, and no init container that could be privileged instead.
        assertEquals(1, list(podSpec(), "containers").size());
        assertTrue(!podSpec().containsKey("initContainers"), "the pod has init containers");
    }

    @Test
    void podUsesTheHostNetworkAndTheHostsTunDevice() throws Exception {
        assertEquals(Boolean.TRUE, podSpec().get("hostNetwork"));
        Map<String, Object> tun = volume("tun");
        Map<String, Object> hostPath = map(tun, "hostPath");
        assertEquals("/dev/net/tun", hostPath.get("path"));
        assertEquals("CharDevice", hostPath.get("type"));
        assertEquals("/dev/net/tun", mount("tun").get("mountPath"));
    }

    @Test
    void configComesFromAConfigMapAndKeysFromASecretReadableByItsOwnerOnly() throws Exception {
        assertEquals("qgate-config", map(volume("config"), "configMap").get("name"));
        Map<String, Object> secret = map(volume("keys"), "secret");
        assertEquals("qgate-keys", secret.get("secretName"));
        assertEquals(0400, secret.get("defaultMode"), "defaultMode is not 0400 (YAML octal, 256)");
        assertEquals(Boolean.TRUE, mount("keys").get("readOnly"));
        assertEquals(Boolean.TRUE, mount("config").get("readOnly"));
        assertEquals(List.of("up", "/etc/qgate/config/$(NODE_NAME).toml"), container().get("args"));
    }

    @Test
    void livenessAsksQgateStatus() throws Exception {
        Map<String, Object> exec = map(map(container(), "livenessProbe"), "exec");
        List<Object> command = list(exec, "command");
        assertEquals("/opt/qgate/bin/qgate", command.get(0));
        assertEquals("status", command.get(1));
    }

    private static Map<String, Object> daemonSet() throws Exception {
        try (Reader reader = Files.newBufferedReader(MANIFEST)) {
            Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            assertEquals("DaemonSet", document.get("kind"));
            assertEquals("apps/v1", document.get("apiVersion"));
            return document;
        }
    }

    private static Map<String, Object> podSpec() throws Exception {
        return map(map(map(daemonSet(), "spec"), "template"), "spec");
    }

    private static Map<String, Object> container() throws Exception {
        return cast(list(podSpec(), "containers").getFirst());
    }

    private static Map<String, Object> volume(String name) throws Exception {
        return list(podSpec(), "volumes").stream().map(DaemonSetManifestTest::cast).filter(v -> name.equals(v.get("name")))
            .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Map<String, Object> mount(String name) throws Exception {
        return list(container(), "volumeMounts").stream().map(DaemonSetManifestTest::cast).filter(v -> name.equals(v.get("name")))
            .findFirst().orElseThrow(() -> new AssertionError("no volume mount " + name));
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertTrue(parent.get(key) instanceof Map, key + " is not a mapping: " + parent.get(key));
        return cast(parent.get(key));
    }

    private static List<Object> list(Map<String, Object> parent, String key) {
        assertTrue(parent.get(key) instanceof List, key + " is not a list: " + parent.get(key));
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) parent.get(key);
        return list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
