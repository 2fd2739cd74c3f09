package io.quotient.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.InvalidArgumentException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.engine.Quotient;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseTest {

  @Test
  void the_embedded_database_keeps_its_data_in_its_directory_across_restarts() throws Exception {
    Path directory = TestDatabase.temporaryDirectory();
    try (Database first = Database.embedded(directory, 2);
        Quotient engine = Quotient.builder(first.dataSource()).defaultPlan("keep").build()) {
      assertThat(first.isEmbedded()).isTrue();
      engine.putPlan(new Plan("keep", Map.of("ai", Limit.of(10, Period.TOTAL))));
      engine.consume(ConsumeRequest.of("alice", "ai", 4));
    }
    try (Database second = Database.embedded(directory, 2);
        Quotient engine = Quotient.builder(second.dataSource()).defaultPlan("keep").build()) {
      assertThat(engine.status("alice").metrics().get(0).used()).isEqualTo(4);
    }
  }

  @Test
  void urls_in_either_form_become_jdbc_urls_with_their_credentials_apart() {
    Database.JdbcUrl plain = Database.JdbcUrl.parse("postgresql://quota:s%40cret@db.example:6543/quotient?sslmode=require");
    assertThat(plain.url()).isEqualTo("jdbc:postgresql://db.example:6543/quotient?sslmode=require");
    assertThat(plain.user()).isEqualTo("quota");
    assertThat(plain.password()).isEqualTo("s@cret");
    assertThat(Database.JdbcUrl.parse("postgres://h/db").url()).isEqualTo("jdbc:postgresql://h/db");
    assertThat(Database.JdbcUrl.parse("jdbc:postgresql://h:5432/db?user=x").url()).isEqualTo("jdbc:postgresql://h:5432/db?user=x");
    assertThatThrownBy(() -> Database.JdbcUrl.parse("mysql://h/db"))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("url"));
  }
}
