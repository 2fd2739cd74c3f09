package io.quotient.server.config;

/** A setting is missing, malformed or out of range; the message names the setting. */
public final class ConfigException extends RuntimeException {
  private final String setting;

  public ConfigException(String setting, String message) {
    super(setting + ": " + message);
    this.setting = setting;
  }

  public ConfigException(String setting, String message, Throwable cause) {
    super(setting + ": " + message, cause);
    this.setting = setting;
  }

  /** The setting's environment variable name, such as {@code QUOTIENT_PORT}. */
  public String setting() {
    return setting;
  }
}
