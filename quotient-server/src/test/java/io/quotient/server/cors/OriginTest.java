package io.quotient.server.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OriginTest {
  @Test
  void an_origin_is_kept_in_the_form_browsers_send() {
    assertThat(Origin.parse("https://app.example.com").value()).isEqualTo("https://app.example.com");
    assertThat(Origin.parse(" HTTPS://App.Example.COM:443 ").value()).isEqualTo("https://app.example.com");
    assertThat(Origin.parse("http://localhost:80").value()).isEqualTo("http://localhost");
    assertThat(Origin.parse("http://localhost:5173").value()).isEqualTo("http://localhost:5173");
    assertThat(Origin.parse("http://[::1]:8080").value()).isEqualTo("http://[::1]:8080");
  }

  @Test
  void anything_but_scheme_host_and_port_is_refused_with_the_reason() {
    assertThatThrownBy(() -> Origin.parse("https://app.example.com/")).hasMessageContaining("path");
    assertThatThrownBy(() -> Origin.parse("https://app.example.com/app")).hasMessageContaining("path");
    assertThatThrownBy(() -> Origin.parse("https://app.example.com?x=1")).hasMessageContaining("query");
    assertThatThrownBy(() -> Origin.parse("app.example.com")).hasMessageContaining("scheme");
    assertThatThrownBy(() -> Origin.parse("https://user@app.example.com")).hasMessageContaining("user");
    assertThatThrownBy(() -> Origin.parse("https://app.example.com:99999")).hasMessageContaining("port");
    assertThatThrownBy(() -> Origin.parse("*")).hasMessageContaining("not an origin");
    assertThatThrownBy(() -> Origin.parse("null")).hasMessageContaining("not an origin");
    assertThatThrownBy(() -> Origin.parse("https://exa mple.com")).hasMessageContaining("not an origin");
    assertThatThrownBy(() -> new Origin("https://App.example.com/")).hasMessageContaining("not an origin");
    assertThatThrownBy(() -> new Origin("HTTPS://app.example.com")).hasMessageContaining("form browsers send");
  }
}
