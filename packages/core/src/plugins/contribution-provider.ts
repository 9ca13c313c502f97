import type { Container, ServiceIdentifier } from 'inversify';

/**
 * Collects every contribution bound under one Symbol (Eclipse Theia's
 * ContributionProvider): yields [] for an empty point, never undefined or an
 * error as a bare multi-inject would.
 */
export class ContributionProvider<T> {
  private cache: T[] | undefined;

  constructor(
    private readonly container: Container,
    private readonly point: ServiceIdentifier<T>,
  ) {}

  /** All contributions, in plugin load order. */
  getContributions(): readonly T[] {
    if (!this.cache) {
      this.cache = this.container.isBound(this.point) ? this.container.getAll<T>(this.point) : [];
    }
    return this.cache;
  }

  /** Forgets the cached list (after another plugin was loaded). */
  invalidate(): void {
    this.cache = undefined;
  }
}
