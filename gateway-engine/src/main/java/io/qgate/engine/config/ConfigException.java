package io.qgate.engine.config;

/** A configuration file is wrong: the message names the file, the line and the cause. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
