package dev.inboxpush.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever text arrives, validation either yields a value or throws {@link InvalidValueException}
 * naming the field, never anything else, and never echoes the input in its message.
 */
class ValidationPropertyTests {

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(600),
        Arbitraries.strings().withCharRange('0', 'z').ofMinLength(1).ofMaxLength(120),
        Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMinLength(10).ofMaxLength(450),
        Arbitraries.strings().withChars("abcXYZ019-_:.=/+ \t\n\u0000\u00e9\u202e").ofMaxLength(80));
  }

  private static void onlyDomainErrors(String field, Function<String, ?> factory, String text) {
    try {
      Object value = factory.apply(text);
      assertThat(value).isNotNull();
    } catch (InvalidValueException e) {
      assertThat(e.field()).isEqualTo(field);
      if (text.length() > 8) {
        assertThat(e.getMessage()).doesNotContain(text);
      }
    }
  }

  @Property
  void apnsTokens(@ForAll("anyText") String text) {
    onlyDomainErrors("deviceToken", t -> DeviceToken.of(Platform.APNS, t), text);
  }

  @Property
  void fcmTokens(@ForAll("anyText") String text) {
    onlyDomainErrors("deviceToken", t -> DeviceToken.of(Platform.FCM, t), text);
  }

  @Property
  void callbackTokens(@ForAll("anyText") String text) {
    onlyDomainErrors("callbackToken", CallbackToken::parse, text);
  }

  @Property
  void opaqueIds(@ForAll("anyText") String text) {
    onlyDomainErrors("subscriptionId", SubscriptionId::of, text);
    onlyDomainErrors("inboxFolderId", FolderId::of, text);
    onlyDomainErrors("watermark", Watermark::of, text);
    onlyDomainErrors("appId", AppId::of, text);
    onlyDomainErrors("registrationId", RegistrationId::of, text);
    onlyDomainErrors("owner", OwnerHash::of, text);
  }

  @Property
  void acceptedApnsTokensAreLowerCaseHexOfEvenLength(@ForAll("anyText") String text) {
    try {
      DeviceToken token = DeviceToken.of(Platform.APNS, text);
      assertThat(token.value()).matches("([0-9a-f]{2})+");
      assertThat(token.toString()).doesNotContain(token.value());
    } catch (InvalidValueException expected) {
      // rejected input: covered by apnsTokens
    }
  }
}
