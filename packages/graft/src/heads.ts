// graftjs/heads: all of @graftjs/heads (the main entry lists what most apps use, within its surface limit),
// reachable through the package the app installed rather than through a transitive dependency's hoisting.
export * from '@graftjs/heads';
