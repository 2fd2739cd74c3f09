package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The end user's {@code /usage} page in a real headless Chromium against a real server, on the
 * example plans: its figures against the API, the banner and its dismissal, the upgrade modal's
 * recommendation, a live update within 2 s of a consume, and the 375 px layout. Saves screenshots
 * under {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsagePageBrowserTest {
  static final String SUBJECT = "page-user";
  static TestServer server;
  static Browser browser;
  static String service;
  static String token;

  @BeforeAll
  static void start() {
    assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
    server = TestServer.start(Clock.systemUTC(), UnaryOperator.identity());
    service = server.createKey("service");
    consume("ai_generations", 8); // 80% of free's 10: the warning banner
    consume("exports", 1);
    token = server.post("/v1/subjects/" + SUBJECT + "/tokens", TestServer.ADMIN_KEY, "{}").json().get("token").asText();
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static void consume(String metric, long amount) {
    TestServer.Response r = server.post("/v1/consume", service,
        "{\"subject\":\"" + SUBJECT + "\",\"metric\":\"" + metric + "\",\"amount\":" + amount + "}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  static void open() {
    browser.driver.get("http://127.0.0.1:" + server.server.port() + "/usage#token=" + token);
    browser.driver.navigate().refresh(); // a fragment-only change does not reload
    waitFor(Duration.ofSeconds(10), () -> "true".equals(browser.driver.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
  }

  static void waitFor(Duration bound, java.util.function.BooleanSupplier condition) {
    // A live update redraws the cards: an element found a moment ago may be gone, so look again.
    new WebDriverWait(browser.driver, bound, Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
        .until(d -> condition.getAsBoolean());
  }

  static WebElement card(String metric) {
    return browser.driver.findElement(By.cssSelector("article.metric[data-metric='" + metric + "']"));
  }

  static String text(WebElement card, String role) {
    return card.findElement(By.cssSelector("[data-role='" + role + "']")).getText();
  }

  @Test
  @Order(1)
  void each_bar_shows_the_apis_figures() {
    open();
    JsonNode usage = server.get("/v1/subjects/" + SUBJECT + "/usage", token).json();
    for (JsonNode m : usage.get("metrics")) {
      WebElement card = card(m.get("metric").asText());
      long used = m.get("used").asLong() + m.get("held").asLong();
      assertThat(text(card, "used")).isEqualTo(used + " of " + m.get("limit").asLong() + " used");
      assertThat(text(card, "remaining")).isEqualTo(m.get("remaining").asLong() + " left");
    }
    assertThat(card("ai_generations").getDomAttribute("class")).contains("warning");
    assertThat(card("projects").getDomAttribute("class")).contains("ok");
    assertThat(text(card("projects"), "resets")).isEqualTo("Does not reset");
    JsonNode analytics = server.get("/v1/subjects/" + SUBJECT + "/analytics?days=30", token).json().get("metrics").get(0);
    assertThat(browser.driver.findElement(By.cssSelector("[data-role='daily-budget']")).getText())
        .isEqualTo(String.valueOf(analytics.get("dailyBudget").asDouble()).replaceAll("\\.0$", ""));
    browser.screenshot("usage-desktop");
  }

  @Test
  @Order(2)
  void the_banner_is_dismissed_for_good_and_comes_back_at_the_next_threshold() {
    open();
    List<WebElement> banners = browser.driver.findElements(By.cssSelector(".banner[data-metric='ai_generations']"));
    assertThat(banners).hasSize(1);
    assertThat(banners.get(0).getDomAttribute("data-threshold")).isEqualTo("80");
    assertThat(banners.get(0).getText()).contains("80% of your ai_generations");
    banners.get(0).findElement(By.cssSelector("button.dismiss")).click();
    assertThat(browser.driver.findElements(By.cssSelector(".banner[data-metric='ai_generations']"))).isEmpty();
    open();
    assertThat(browser.driver.findElements(By.cssSelector(".banner[data-metric='ai_generations']"))).isEmpty();
    consume("ai_generations", 2); // 100%: the critical threshold, a banner again without a reload
    waitFor(Duration.ofSeconds(5),
        () -> !browser.driver.findElements(By.cssSelector(".banner.critical[data-metric='ai_generations']")).isEmpty());
    browser.screenshot("usage-banner");
  }

  @Test
  @Order(3)
  void the_upgrade_modal_shows_the_apis_recommendation() {
    open();
    JsonNode rec = server.get("/v1/subjects/" + SUBJECT + "/recommendation", token).json();
    assertThat(rec.get("action").asText()).isEqualTo("upgrade");
    WebElement button = browser.driver.findElement(By.id("upgrade-open"));
    waitFor(Duration.ofSeconds(5), button::isDisplayed);
    button.click();
    WebElement dialog = browser.driver.findElement(By.id("upgrade"));
    assertThat(dialog.isDisplayed()).isTrue();
    assertThat(dialog.getText()).contains("Recommended: " + rec.get("recommendedPlan").asText()).contains("Current: free");
    assertThat(dialog.findElement(By.cssSelector("[data-role='recommended-price']")).getText()).isEqualTo("$19.00/month");
    browser.screenshot("usage-upgrade-modal");
    browser.driver.findElement(By.id("upgrade-close")).click();
    assertThat(dialog.isDisplayed()).isFalse();
  }

  @Test
  @Order(4)
  void a_consume_shows_within_two_seconds_without_a_reload() {
    open();
    // The page follows GET /v1/stream; the numbers move on its message, not on a poll.
    waitFor(Duration.ofSeconds(5), () -> "open".equals(browser.driver.findElement(By.tagName("body")).getDomAttribute("data-stream")));
    assertThat(browser.driver.findElement(By.id("live")).getText()).isEqualTo("Live");
    browser.driver.executeScript("window.__marker = 'same page';");
    waitFor(Duration.ofSeconds(2), () -> text(card("projects"), "used").equals("0 of 3 used"));
    long sent = System.nanoTime();
    consume("projects", 1);
    waitFor(Duration.ofSeconds(2), () -> text(card("projects"), "used").equals("1 of 3 used"));
    long millis = (System.nanoTime() - sent) / 1_000_000;
    assertThat(millis).isLessThan(2000);
    assertThat(browser.driver.executeScript("return window.__marker;")).isEqualTo("same page");
  }

  @Test
  @Order(5)
  void a_375_pixel_phone_needs_no_horizontal_scroll() {
    browser.driver.manage().window().setSize(new Dimension(375, 812));
    try {
      open();
      Object overflow = browser.driver.executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      assertThat(((Number) overflow).longValue()).isLessThanOrEqualTo(0);
      browser.screenshot("usage-phone");
    } finally {
      browser.driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  @Order(6)
  void without_a_token_the_page_says_what_it_needs() {
    browser.driver.get("http://127.0.0.1:" + server.server.port() + "/usage");
    waitFor(Duration.ofSeconds(5), () -> browser.driver.findElement(By.id("error")).isDisplayed());
    assertThat(browser.driver.findElement(By.id("error")).getText()).contains("#token=");
  }
}
