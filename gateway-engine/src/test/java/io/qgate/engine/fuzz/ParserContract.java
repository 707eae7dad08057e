package io.qgate.engine.fuzz;

import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import java.util.Arrays;
import java.util.List;

/**
 * The contract every qgate parser keeps on hostile input, as the fuzz targets check it: it
 * returns a value or throws {@link ProtocolException} with one of its documented error codes and
 * a message; nothing else escapes (an unchecked exception thrown by the parser fails the target as
 * it is, which Jazzer reports as a finding).
 */
public final class ParserContract {
    /** A parse that may refuse its input. */
    @FunctionalInterface
    public interface Parse<T> {
        T run() throws ProtocolException;
    }

    private ParserContract() {
    }

    /**
     * The value {@code parse} returns, or {@code null} if it refused the input with one of
     * {@code documented}.
     *
     * @throws AssertionError if the refusal carries another code or no message
     */
    public static <T> T parsedOrRefused(Parse<T> parse, ErrorCode... documented) {
        try {
            return parse.run();
        } catch (ProtocolException refused) {
            if (!List.of(documented).contains(refused.error())) {
                throw new AssertionError("refused with " + refused.error() + ", not one of the documented "
                    + Arrays.toString(documented) + ": " + refused.getMessage(), refused);
            }
            if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                throw new AssertionError("a refusal with " + refused.error() + " names no cause");
            }
            return null;
        }
    }
}
