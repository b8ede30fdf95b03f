import { describe, expect, it } from 'vitest';
import { RouteMethods } from './route-methods.js';

describe('route methods', () => {
  const routes = new RouteMethods();
  routes.add('/v1/items/:id/similar', ['GET', 'HEAD']);
  routes.add('/v1/events', 'POST');
  routes.add('/v1/events', 'options');
  routes.add('/docs/*', 'GET');

  it('lists the methods of the pattern the path matches, sorted', () => {
    expect(routes.allowed('/v1/items/42/similar')).toEqual(['GET', 'HEAD']);
    expect(routes.allowed('/v1/items/42/similar/')).toEqual(['GET', 'HEAD']);
    expect(routes.allowed('/v1/events')).toEqual(['OPTIONS', 'POST']);
    expect(routes.allowed('/docs/static/index.html')).toEqual(['GET']);
  });

  it('matches one segment per parameter and literal text literally', () => {
    expect(routes.allowed('/v1/items/42/43/similar')).toEqual([]);
    expect(routes.allowed('/v1/items//similar')).toEqual([]);
    expect(routes.allowed('/v1/eventsX')).toEqual([]);
    expect(routes.allowed('/v2/events')).toEqual([]);
  });
});
