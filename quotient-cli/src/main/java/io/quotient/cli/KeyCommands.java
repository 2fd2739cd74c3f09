package io.quotient.cli;

import io.quotient.api.IssuedKey;
import io.quotient.api.KeyRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keys create | list | revoke}. */
final class KeyCommands {
  private KeyCommands() {}

  static final String[] COLUMNS = {"id", "name", "role", "prefix", "createdAt", "revokedAt"};

  @Command(name = "keys", description = "API keys (admin).", subcommands = {Create.class, ListKeys.class, Revoke.class},
      footer = {"", "Example:", "  bin/quotient keys create --name backend --role service"})
  static final class Group extends Groups {}

  @Command(name = "create", description = "Creates a key; the key itself is shown once (stdout).",
      footer = {"", "Example:", "  bin/quotient keys create --name backend --role service -o json"})
  static final class Create extends Leaf {
    @Option(names = "--name", required = true, paramLabel = "NAME") String name;
    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, service or read") String role;

    @Override
    void run() {
      IssuedKey key = client().createKey(new KeyRequest(name, role));
      show(key, null, "id", "name", "role", "key");
      say("the key is shown once: keep it now");
    }
  }

  @Command(name = "list", description = "Every key (without the keys).", footer = {"", "Example:", "  bin/quotient keys list"})
  static final class ListKeys extends Leaf {
    @Override
    void run() {
      show(client().keys(), "keys", COLUMNS);
    }
  }

  @Command(name = "revoke", description = "Revokes a key; it stops working at once.",
      footer = {"", "Example:", "  bin/quotient keys revoke key_0123"})
  static final class Revoke extends Leaf {
    @Parameters(paramLabel = "ID") String id;

    @Override
    void run() {
      show(client().revokeKey(id), null, COLUMNS);
    }
  }
}
