package io.qgate.engine.cli;

import io.qgate.engine.gateway.ControlServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The client side of a running gateway's command socket ({@link ControlServer}). */
final class GatewaySocket {
    private GatewaySocket() {
    }

    /**
     * Sends {@code request} to the gateway for interface {@code name}, prints its summary and
     * returns 0; a refusal becomes a one-sentence user error.
     */
    static int request(RunDirectory run, String name, String request) throws IOException {
        Path socket = run.file(name, ".ctl");
        if (!Files.exists(socket)) {
            throw new IllegalArgumentException("no gateway for " + name + " is running (there is no " + socket
                + "); start it with 'qgate up', or give --run-directory");
        }
        String answer;
        try {
            answer = ControlServer.send(socket, request);
        } catch (IOException e) {
            throw new IllegalArgumentException("the gateway for " + name + " does not answer on " + socket
                + " (" + e.getMessage() + "); is it running?");
        }
        if (answer.startsWith("ok ")) {
            System.out.println("qgate: " + name + ": " + answer.substring(3));
            return 0;
        }
        throw new IllegalArgumentException(answer.startsWith("error ") ? answer.substring(6) : "unexpected answer: " + answer);
    }
}
