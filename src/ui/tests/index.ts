import { canWrite } from '../commands/actions/shared';
import type { Services } from '../services';
import { registerOpenTestCase } from './caseDocuments';
import { registerGoToTest } from './goToTest';
import { testReportNodes } from './nodes';
import { createRetryProfile } from './retrySuites';
import { TestReportStore } from './store';
import { TestResultsPublisher } from './testResults';

/**
 * Test reports: a "Tests: …" node under each pipeline with a report, case documents and "Go to Test", and the
 * "GitLab CI" test controller publishing the current pipelines' results. Reads the refresher's model only.
 */
export function registerTestReports(services: Services): TestResultsPublisher {
  const store = new TestReportStore((project) => services.gitlabFor(project), (project, pipelineId) => services.model.loadedJobs(project, pipelineId)?.jobs);
  services.tree.pipelineContributions = (project, pipeline) => testReportNodes(store, project, pipeline);
  registerOpenTestCase(services);
  registerGoToTest(services);
  const publisher = new TestResultsPublisher(
    {
      onDidChange: services.model.onDidChange,
      current: () => services.model.projectStates().flatMap((state) => (state.current ? [{ project: state.project, pipeline: state.current }] : [])),
    },
    store,
    (error) => services.log.warn(`Publishing test results failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  publisher.controller.refreshHandler = () => services.refresher.refreshNow();
  const profile = createRetryProfile(publisher, store, {
    gitlabFor: (project) => services.gitlabFor(project),
    canWrite: (project) => canWrite(services, project, 'Retry tests'),
    refreshNow: (project) => services.refresher.refreshNow(project),
    onDidRefresh: services.refresher.onDidRefresh,
  });
  publisher.retryProfile = profile;
  services.context.subscriptions.push(publisher, profile);
  return publisher;
}
