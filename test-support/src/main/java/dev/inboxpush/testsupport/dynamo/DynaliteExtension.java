package dev.inboxpush.testsupport.dynamo;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the JVM-wide {@link Dynalite}: started before the first test class that uses it,
 * stopped when the test plan ends (the root context's store closes it). Test methods and
 * constructors may declare a {@code Dynalite} parameter.
 *
 * <pre>{@code
 * @ExtendWith(DynaliteExtension.class)
 * class SomethingIT {
 *   @Test void works(Dynalite dynalite) { ... }
 * }
 * }</pre>
 */
public final class DynaliteExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DynaliteExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    instance(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Dynalite.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return instance(context);
  }

  private static Dynalite instance(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(Dynalite.class, key -> Dynalite.shared(), Dynalite.class);
  }
}
