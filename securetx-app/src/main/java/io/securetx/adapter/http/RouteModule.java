package io.securetx.adapter.http;

/**
 * A group of routes added to the API server, such as the transaction routes. Later features (task
 * routes, the dashboard) plug in the same way, through {@link HttpApiServer.Builder#module}; every
 * route they add is authenticated, rate limited and answers errors as problem documents, and the
 * OpenAPI test holds the document to it.
 */
@FunctionalInterface
public interface RouteModule {

  /**
   * Adds this module's routes.
   *
   * @param routes where to add them
   */
  void register(ApiRoutes routes);
}
