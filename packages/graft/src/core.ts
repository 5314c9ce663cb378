// graftjs/core: all of @graftjs/core's app surface (embed, schedules, ...), through the package the app installed.
export * from '@graftjs/core';
